using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>
/// The owner deactivates a member: they see nothing more, their open sessions end (the accounts module ends them) and
/// their sign-in is refused as a wrong password would be. The last active owner cannot be deactivated (409).
/// </summary>
public static class DeactivateMemberEndpoint
{
    [WolverinePost("/api/console/practice/members/{providerId}/deactivate")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid providerId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await DeactivateMember.ExecuteAsync(providerId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class DeactivateMember
{
    /// <summary>A member already deactivated stays so, and nothing is published again.</summary>
    public static async Task<(Outcome<MemberView>, OutgoingMessages)> ExecuteAsync(Guid providerId, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var loaded = await Membership.LoadLockedAsync(session, CurrentUser.From(http.User)!, providerId, http.RequestAborted);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var member = loaded.Value;
        if (!member.Active) return (await Membership.ViewAsync(session, member, http.RequestAborted), []);
        if (await Membership.RefuseLosingLastOwnerAsync(session, member, member.Role, active: false, http.RequestAborted) is { } lastOwner)
            return (lastOwner, []);

        member.Active = false;
        session.Store(member);
        Audit.Record(session, http, clock, "member.deactivated", nameof(RosterProvider), member.Id.ToString());
        return (await Membership.ViewAsync(session, member, http.RequestAborted), [member.Changed()]);
    }
}
