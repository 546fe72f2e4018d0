using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Activation;

/// <summary>
/// From an expired or used link, the client asks for a fresh one. It goes to the email on file (never to an address
/// given here), only when the client is still eligible, has no active account and no pending invitation. The answer is
/// the same whatever happened, so a link cannot be used to learn anything.
/// </summary>
public sealed record RequestFreshLinkRequest(string Token);

internal sealed class RequestFreshLinkValidator : AbstractValidator<RequestFreshLinkRequest>
{
    public RequestFreshLinkValidator() => RuleFor(r => r.Token).LinkToken();
}

public static class RequestFreshLinkEndpoint
{
    public const string Answer = "If this link belongs to an invitation that can be renewed, " +
        "a fresh link is on its way to the email address your provider has on file.";

    [WolverinePost("/api/account/activation/renew")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(RequestFreshLinkRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var messages = await RenewAsync(request.Token, http, session, clock, protection, configuration);
        return (Results.Accepted(value: new { message = Answer }), messages);
    }

    internal static async Task<OutgoingMessages> RenewAsync(string token, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        var hash = SecretTokens.Hash(token);
        if (!AuthRateLimits.EmailRequests.AttemptAcquire("renew|" + hash, 1).IsAcquired) return [];
        var invitation = await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash);
        if (invitation is null) return [];
        var client = await EditLock.LoadLockedAsync<InvitationsClient>(session, invitation.ClientId, http.RequestAborted);
        var refusal = await InvitationSender.WhyNotAsync(session, client, clock.GetUtcNow(), replacePending: false);
        Audit.Record(
            session, http, clock, "invitation.renew-requested", "Invitation", invitation.Id.ToString(), invitation.ClientId, refusal.ToString());
        if (refusal != InvitationRefusal.None) return [];
        var issued = new IssuedInvitations();
        await InvitationSender.IssueAsync(session, client!, clock, protection, configuration, issued);
        return issued.ToMessages();
    }
}
