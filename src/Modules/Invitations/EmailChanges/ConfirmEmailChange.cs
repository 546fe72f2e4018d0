using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.EmailChanges;

/// <summary>The new address confirms the approved change by its emailed link; the change then applies.</summary>
public sealed record ConfirmEmailChangeRequest(string Token);

internal sealed class ConfirmEmailChangeValidator : AbstractValidator<ConfirmEmailChangeRequest>
{
    public ConfirmEmailChangeValidator() => RuleFor(r => r.Token).LinkToken();
}

public static class ConfirmEmailChangeEndpoint
{
    public const string LinkNotUsableMessage = "This confirmation link has expired or was already used.";

    [WolverinePost("/api/account/email-change/confirm")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(
        ConfirmEmailChangeRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ConfirmAsync(request.Token, http, session, clock);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<EmailChangeRequest>, OutgoingMessages)> ConfirmAsync(string token, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var hash = SecretTokens.Hash(token);
        var change = await session.Query<EmailChangeRequest>().FirstOrDefaultAsync(r => r.ConfirmationTokenHash == hash);
        if (change is null || change.Status != EmailChangeStatus.AwaitingConfirmation || change.ConfirmationExpiresAt <= clock.GetUtcNow())
        {
            Audit.Record(
                session, http, clock, "email-change.confirm", "EmailChangeRequest", change?.Id.ToString(), change?.ClientId, "link-not-usable");
            return (new Refusal(StatusCodes.Status410Gone, LinkNotUsableMessage), []);
        }
        return await EmailChangeFlow.ApplyAsync(change, http, session, clock, "confirmed-by-new-address");
    }
}

/// <summary>Support carries out a change the provider approved (for example when the client cannot receive the link).</summary>
public static class ApplyEmailChangeEndpoint
{
    [WolverinePost("/api/support/email-changes/{requestId}/apply")]
    [Authorize(Policy = Portal.BuildingBlocks.Security.PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid requestId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ApplyAsync(requestId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }

    internal static async Task<(Outcome<EmailChangeRequest>, OutgoingMessages)> ApplyAsync(Guid requestId, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        if (SecondFactor.StepUp(CurrentUser.From(http.User)!, clock.GetUtcNow()) is { } stepUp) return (stepUp, []);
        var change = await session.LoadAsync<EmailChangeRequest>(requestId);
        if (change is null) return (new Refusal(StatusCodes.Status404NotFound, "No such request."), []);
        if (change.Status != EmailChangeStatus.AwaitingConfirmation)
            return (Refusal.Conflict("Only a change the provider approved can be carried out."), []);
        return await EmailChangeFlow.ApplyAsync(change, http, session, clock, "applied-by-support");
    }
}
