using Portal.Invitations.Accounts;
using Portal.Invitations.Activation;
using Portal.Invitations.Roster;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Members;

/// <summary>
/// From an expired or used member link, the member asks for a fresh one. It goes to the address the roster has for
/// them (never to one given here), only while they have no active account, are not deactivated and have no pending
/// link. The answer is the same whatever happened, so a link cannot be used to learn anything.
/// </summary>
public sealed record RenewMemberLinkRequest(string Token);

internal sealed class RenewMemberLinkValidator : AbstractValidator<RenewMemberLinkRequest>
{
    public RenewMemberLinkValidator() => RuleFor(r => r.Token).LinkToken();
}

public static class RenewMemberLinkEndpoint
{
    public static readonly string Answer = LinkRenewal.Answer("your practice");

    [WolverinePost("/api/account/member-activation/renew")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(RenewMemberLinkRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var messages = await RenewAsync(request.Token, http, session, clock, protection, configuration);
        return (Results.Accepted(value: new { message = Answer }), messages);
    }

    internal static Task<OutgoingMessages> RenewAsync(string token, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration) =>
        LinkRenewal.RenewAsync(token, "renew-member", http, session, clock, async () =>
        {
            var invitation = await MemberInvitations.FindAsync(session, token, http.RequestAborted);
            if (invitation is null) return null;
            await MemberInvitations.LockMemberAsync(session, invitation.ProviderId, http.RequestAborted);
            var now = clock.GetUtcNow();
            var card = await session.LoadAsync<InvitationsProvider>(invitation.ProviderId, http.RequestAborted);
            var active = await session.Query<Account>().AnyAsync(a => a.ProviderId == invitation.ProviderId && a.Active, http.RequestAborted);
            var pending = (await MemberInvitations.OpenAsync(session, invitation.ProviderId, http.RequestAborted)).Any(i => i.IsPending(now));
            var refusal = card is null ? "no-roster-copy" : !card.Active ? "deactivated" : active ? "already-active" : pending ? "pending" : null;
            return new LinkRenewal.Candidate(nameof(MemberInvitation), invitation.Id, null, refusal, async () =>
                [await MemberInvitations.IssueAsync(session, Guid.CreateVersion7(), card!.Id, card.Email, card.Name, card.PracticeName,
                    card.Role, now, protection, configuration, http.RequestAborted)]);
        });
}
