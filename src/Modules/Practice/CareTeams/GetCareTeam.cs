using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.CareTeams;

public sealed record CareTeamMember(Guid MemberId, string Name,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StaffRole>))]
    StaffRole Role,
    bool Active);

/// <summary>
/// A client's care team: the primary clinician, the further members, and (for whoever may change it) the practice's
/// active owners and clinicians who could join or take over.
/// </summary>
public sealed record CareTeamView(Guid ClientId, string ClientName, CareTeamMember Primary, IReadOnlyList<CareTeamMember> Members,
    bool CanManage, IReadOnlyList<CareTeamMember> Candidates, long Version);

/// <summary>Anyone who may see the client sees who cares for them; anyone else is told the client does not exist.</summary>
public static class GetCareTeamEndpoint
{
    [WolverineGet("/api/console/clients/{clientId}/care-team")]
    [Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
    public static async Task<IResult> Get(Guid clientId, ClaimsPrincipal principal, IQuerySession session, HttpContext http) =>
        (await GetCareTeam.ReadAsync(clientId, CurrentUser.From(principal)!, session)).ToResult(http);
}

internal static class GetCareTeam
{
    public static async Task<Outcome<CareTeamView>> ReadAsync(Guid clientId, CurrentUser user, IQuerySession session)
    {
        var client = await session.LoadAsync<RosterClient>(clientId);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return Refusal.NotFound("client");
        return await ViewAsync(client, user, session);
    }

    /// <summary>The view of <paramref name="client"/> as it stands in this session (after a change, before the commit).</summary>
    public static async Task<CareTeamView> ViewAsync(RosterClient client, CurrentUser user, IQuerySession session)
    {
        var canManage = CareTeamRules.MayManage(user, client);
        var practiceMembers = await session.Query<RosterProvider>().Where(p => p.PracticeId == client.PracticeId).ToListAsync();
        var byId = practiceMembers.ToDictionary(p => p.Id);
        CareTeamMember Describe(Guid id) => byId.TryGetValue(id, out var p)
            ? new CareTeamMember(p.Id, p.Name, p.Role, p.Active)
            : new CareTeamMember(id, "(former member)", StaffRole.Clinician, false);

        var candidates = canManage
            ? practiceMembers.Where(CareTeamRules.IsClinical).OrderBy(p => p.Name).Select(p => Describe(p.Id)).ToList()
            : [];
        return new CareTeamView(client.Id, $"{client.FirstName} {client.LastName}".Trim(), Describe(client.ProviderId),
            client.CareTeam.Select(Describe).ToList(), canManage, candidates, client.Version);
    }
}

/// <summary>Who may change a care team, and who may be on one.</summary>
internal static class CareTeamRules
{
    /// <summary>The practice's owner or the client's primary clinician (the caller must already see the client).</summary>
    public static bool MayManage(CurrentUser user, RosterClient client) =>
        user.IsProvider && user.PracticeId == client.PracticeId && (user.IsOwner || user.ProviderId == client.ProviderId);

    /// <summary>
    /// The client whose care team <paramref name="user"/> changes, loaded under its edit lock: 404 when the caller may
    /// not see the client, 403 (saying <paramref name="refusedAction"/>) when they see it but may not manage its team.
    /// </summary>
    public static async Task<Outcome<RosterClient>> LoadToManageAsync(IDocumentSession session, Guid clientId, CurrentUser user,
        string refusedAction, CancellationToken cancellation)
    {
        var client = await EditLock.LoadLockedAsync<RosterClient>(session, clientId, cancellation);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return Refusal.NotFound("client");
        if (!MayManage(user, client))
            return Refusal.Forbidden($"Only the practice's owner or the client's primary clinician {refusedAction}.");
        return client;
    }

    /// <summary>Only active owners and clinicians care for clients: front desk and billers never see clinical content.</summary>
    public static bool IsClinical(RosterProvider member) =>
        member.Active && member.Role is StaffRole.Owner or StaffRole.Clinician;

    /// <summary>
    /// The member named by <paramref name="field"/>, when they are an active owner or clinician of the client's practice;
    /// otherwise the 400 that names the field.
    /// </summary>
    public static async Task<Outcome<RosterProvider>> ClinicalMemberAsync(
        IQuerySession session, Guid practiceId, Guid memberId, string field)
    {
        var member = memberId == Guid.Empty ? null : await session.LoadAsync<RosterProvider>(memberId);
        if (member is null || member.PracticeId != practiceId)
            return Refusal.Invalid(field, "Choose a member of this practice.");
        if (!IsClinical(member))
            return Refusal.Invalid(field, "Only an active owner or clinician of the practice can care for a client.");
        return member;
    }
}
