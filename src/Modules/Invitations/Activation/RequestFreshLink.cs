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
    public static readonly string Answer = LinkRenewal.Answer("your provider");

    [WolverinePost("/api/account/activation/renew")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(RequestFreshLinkRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var messages = await RenewAsync(request.Token, http, session, clock, protection, configuration);
        return (Results.Accepted(value: new { message = Answer }), messages);
    }

    internal static Task<OutgoingMessages> RenewAsync(string token, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration) =>
        LinkRenewal.RenewAsync(token, "renew", http, session, clock, async () =>
        {
            var hash = SecretTokens.Hash(token);
            var invitation = await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, http.RequestAborted);
            if (invitation is null) return null;
            var client = await EditLock.LoadLockedAsync<InvitationsClient>(session, invitation.ClientId, http.RequestAborted);
            var refusal = await InvitationSender.WhyNotAsync(session, client, clock.GetUtcNow(), replacePending: false);
            return new LinkRenewal.Candidate("Invitation", invitation.Id, invitation.ClientId,
                refusal == InvitationRefusal.None ? null : refusal.ToString(), async () =>
                {
                    var issued = new IssuedInvitations();
                    await InvitationSender.IssueAsync(session, client!, clock, protection, configuration, issued);
                    return issued.ToMessages();
                });
        });
}
