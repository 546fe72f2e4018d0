using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>The owner reactivates a deactivated member: they can sign in again with their password, in the role they have.</summary>
public static class ReactivateMemberEndpoint
{
    [WolverinePost("/api/console/practice/members/{providerId}/reactivate")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid providerId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ReactivateMember.ExecuteAsync(providerId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ReactivateMember
{
    /// <summary>A member already active stays so, and nothing is published again.</summary>
    public static async Task<(Outcome<MemberView>, OutgoingMessages)> ExecuteAsync(Guid providerId, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var loaded = await Membership.LoadLockedAsync(session, CurrentUser.From(http.User)!, providerId, http.RequestAborted);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var member = loaded.Value;
        if (member.Active) return (await Membership.ViewAsync(session, member, http.RequestAborted), []);

        member.Active = true;
        session.Store(member);
        Audit.Record(session, http, clock, "member.reactivated", nameof(RosterProvider), member.Id.ToString());
        return (await Membership.ViewAsync(session, member, http.RequestAborted), [member.Changed()]);
    }
}
