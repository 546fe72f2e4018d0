using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Portal.BuildingBlocks.Validation;
using Portal.Integrations.Shared;

namespace Portal.Integrations.Webhooks;

/// <summary>
/// The owner (or an API client with <c>webhooks.manage</c>) subscribes a URL to some events. The URL is checked for
/// private-network addresses (<see cref="WebhookTargets"/>); the signing secret is made here and shown once.
/// </summary>
public sealed record SubscribeWebhook(string Url, string[] Events);

internal sealed class SubscribeWebhookValidator : AbstractValidator<SubscribeWebhook>
{
    public SubscribeWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().WithMessage("Enter the URL that receives the events.").MaximumLength(2000);
        RuleFor(x => x.Events).NotEmpty().WithMessage("Choose at least one event.")
            .Must(events => events.All(WebhookEvents.All.Contains))
            .WithMessage($"Events are among: {string.Join(", ", WebhookEvents.All)}.");
    }
}

public static class SubscribeWebhookEndpoint
{
    public const int MaxEndpointsPerPractice = 20;
    private static readonly SubscribeWebhookValidator Validator = new();

    [Authorize(Policy = PortalPolicies.Owner)]
    [WolverinePost("/api/console/integrations/webhooks")]
    [ProducesResponseType<WebhookEndpointCreated>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Post(SubscribeWebhook request, HttpContext http, IDocumentSession session,
        WebhookTargets targets, IDataProtectionProvider protection, TimeProvider clock) =>
        (await SubscribeAsync(request, new(http, session, clock), targets, protection)).ToResult(http);

    internal static async Task<Outcome<WebhookEndpointCreated>> SubscribeAsync(SubscribeWebhook request, ManageContext context,
        WebhookTargets targets, IDataProtectionProvider protection)
    {
        var (user, http, session) = (context.User, context.Http, context.Session);
        var validation = await Validator.ValidateAsync(request);
        if (!validation.IsValid) return Refusal.Invalid(ValidationProblems.ByField(validation.Errors));
        if (user.PracticeId is not { } practiceId) return Refusal.Forbidden("Only a practice subscribes webhooks.");

        var settings = await session.LoadAsync<IntegrationsPractice>(practiceId);
        if (await targets.RefusalAsync(request.Url.Trim(), settings?.AllowPrivateNetworkTargets == true, http.RequestAborted) is { } refusal)
            return Refusal.Invalid("url", refusal);
        if (await session.Query<WebhookEndpoint>().CountAsync(e => e.PracticeId == practiceId) >= MaxEndpointsPerPractice)
            return Refusal.Conflict($"A practice has at most {MaxEndpointsPerPractice} webhook endpoints.", "Remove one first.");

        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practiceId,
            Url = request.Url.Trim(),
            Events = [.. request.Events.Distinct()],
            ProtectedSecret = WebhookSecrets.Protector(protection).Protect(secret),
            CreatedBy = user.UserId,
            CreatedAt = context.Clock.GetUtcNow(),
        };
        session.Store(endpoint);
        context.Audit("integrations.webhook.subscribed", endpoint, outcome: string.Join(' ', endpoint.Events));
        return Outcome<WebhookEndpointCreated>.Ok(new WebhookEndpointCreated(endpoint.ToView(), secret), StatusCodes.Status201Created);
    }
}

internal static class WebhookSecrets
{
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Portal.Integrations.WebhookSecret");
}
