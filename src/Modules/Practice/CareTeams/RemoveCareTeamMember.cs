using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.CareTeams;

/// <summary>
/// The owner or the primary clinician takes a member off a client's care team; a clinician removed no longer sees the
/// client anywhere. The primary is not a team member to remove: transfer the primary instead.
/// </summary>
public static class RemoveCareTeamMemberEndpoint
{
    [WolverineDelete("/api/console/clients/{clientId}/care-team/{memberId}")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Delete(Guid clientId, Guid memberId, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await RemoveCareTeamMember.ExecuteAsync(clientId, memberId, principal, session, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class RemoveCareTeamMember
{
    public static async Task<(Outcome<CareTeamView>, OutgoingMessages)> ExecuteAsync(Guid clientId, Guid memberId,
        ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpContext? http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var loaded = await CareTeamRules.LoadToManageAsync(session, clientId, user, "changes the care team", cancellation);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var client = loaded.Value!;
        if (memberId == client.ProviderId)
            return (Refusal.Conflict("The primary clinician cannot be removed.", "Transfer the client to another clinician first."), []);
        if (!client.CareTeam.Remove(memberId))
            return (new Refusal(StatusCodes.Status404NotFound, "No such care team member.",
                "This member is not on the client's care team."), []);

        session.Store(client);
        Audit.Record(session, http, clock, "client.care-team-member-removed", nameof(RosterClient), client.Id.ToString(), client.Id,
            outcome: $"member {memberId}");
        var changed = client.Changed();
        return (await GetCareTeam.ViewAsync(client, user, session), [changed]);
    }
}
