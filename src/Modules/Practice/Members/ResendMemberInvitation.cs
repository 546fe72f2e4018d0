using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

internal sealed record MemberInvitationResent(Guid ProviderId, DateTimeOffset RequestedAt);

/// <summary>
/// The owner asks for a fresh link for a member who has not activated yet: the new link replaces the old one. A member
/// with an active account, or a deactivated one, gets nothing (409, saying why).
/// </summary>
public static class ResendMemberInvitationEndpoint
{
    [WolverinePost("/api/console/practice/members/{providerId}/invitation")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid providerId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ResendMemberInvitation.ExecuteAsync(providerId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ResendMemberInvitation
{
    public static async Task<(Outcome<MemberInvitationResent>, OutgoingMessages)> ExecuteAsync(Guid providerId, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var loaded = await Membership.LoadLockedAsync(session, CurrentUser.From(http.User)!, providerId, http.RequestAborted);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var member = loaded.Value;
        if (!member.Active) return (Refusal.Conflict("This member is deactivated. Reactivate them first."), []);
        var facts = await session.LoadAsync<MemberAccountFacts>(member.Id, http.RequestAborted);
        if (facts?.ActivatedAt is not null) return (Refusal.Conflict("This member has already activated their account."), []);

        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "member.invitation-resent", nameof(RosterProvider), member.Id.ToString());
        return (new MemberInvitationResent(member.Id, now),
            [new MemberInvitationRequested(Guid.CreateVersion7(), member.Id, member.PracticeId, member.PracticeName, member.Name, member.Email,
                member.Role, now)]);
    }
}
