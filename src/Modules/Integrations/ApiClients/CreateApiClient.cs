using Portal.BuildingBlocks.Validation;
using Portal.Integrations.Shared;

namespace Portal.Integrations.ApiClients;

/// <summary>A practice owner lets another system call the API: a name, the scopes it may use, its rate limit.</summary>
public sealed record CreateApiClient(string Name, string[] Scopes, int? RequestsPerMinute = null);

internal sealed class CreateApiClientValidator : AbstractValidator<CreateApiClient>
{
    public CreateApiClientValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name the system that will use these credentials.").MaximumLength(100);
        RuleFor(x => x.Scopes).NotEmpty().WithMessage("Choose at least one scope.")
            .Must(scopes => scopes.All(ApiScopes.All.Contains))
            .WithMessage($"Scopes are among: {string.Join(", ", ApiScopes.All)}.");
        RuleFor(x => x.RequestsPerMinute).InclusiveBetween(1, ApiClientLimits.MaxRequestsPerMinute);
    }
}

public static class CreateApiClientEndpoint
{
    private static readonly CreateApiClientValidator Validator = new();

    [Authorize(Policy = PortalPolicies.Owner)]
    [WolverinePost("/api/console/integrations/api-clients")]
    [ProducesResponseType<ApiClientCredentials>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public static async Task<IResult> Post(CreateApiClient request, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await CreateAsync(request, new(http, session, clock))).ToResult(http);

    internal static async Task<Outcome<ApiClientCredentials>> CreateAsync(CreateApiClient request, ManageContext context)
    {
        var owner = context.User;
        var validation = await Validator.ValidateAsync(request);
        if (!validation.IsValid) return Refusal.Invalid(ValidationProblems.ByField(validation.Errors));
        if (owner.PracticeId is not { } practiceId) return Refusal.Forbidden("Only a practice's owner creates API clients.");

        var secret = ApiClientSecrets.New();
        var client = new ApiClient
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practiceId,
            Name = request.Name.Trim(),
            Scopes = [.. request.Scopes.Distinct()],
            SecretHash = ApiClientSecrets.Hash(secret),
            RequestsPerMinute = request.RequestsPerMinute ?? ApiClientLimits.DefaultRequestsPerMinute,
            CreatedBy = owner.UserId,
            CreatedAt = context.Clock.GetUtcNow(),
        };
        context.Session.Store(client);
        context.Audit("integrations.api-client.created", client, outcome: string.Join(' ', client.Scopes));
        return Outcome<ApiClientCredentials>.Ok(
            new ApiClientCredentials(client.ToView(), client.ClientId, secret, ApiClientLimits.TokenEndpoint), StatusCodes.Status201Created);
    }
}
