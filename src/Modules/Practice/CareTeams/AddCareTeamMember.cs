using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.CareTeams;

/// <summary>
/// The owner or the primary clinician adds an owner or clinician of the practice to a client's care team; the member
/// then sees the client as the primary does (every module's copy follows <see cref="ClientRosterChanged"/>).
/// Adding someone already on the team changes nothing.
/// </summary>
public sealed record AddCareTeamMemberRequest(Guid MemberId);

internal sealed class AddCareTeamMemberValidator : AbstractValidator<AddCareTeamMemberRequest>
{
    public AddCareTeamMemberValidator() => RuleFor(r => r.MemberId).NotEmpty().WithMessage("Choose a member to add.");
}

public static class AddCareTeamMemberEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/care-team")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, AddCareTeamMemberRequest request, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await AddCareTeamMember.ExecuteAsync(clientId, request, principal, session, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class AddCareTeamMember
{
    public static async Task<(Outcome<CareTeamView>, OutgoingMessages)> ExecuteAsync(Guid clientId, AddCareTeamMemberRequest request,
        ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpContext? http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var loaded = await CareTeamRules.LoadToManageAsync(session, clientId, user, "changes the care team", cancellation);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var client = loaded.Value!;

        var member = await CareTeamRules.ClinicalMemberAsync(session, client.PracticeId, request.MemberId, "memberId");
        if (!member.Succeeded) return (member.Refusal, []);
        if (member.Value.Id == client.ProviderId)
            return (Refusal.Invalid("memberId", "This member is already the client's primary clinician."), []);
        if (client.CareTeam.Contains(member.Value.Id)) return (await GetCareTeam.ViewAsync(client, user, session), []);

        client.CareTeam.Add(member.Value.Id);
        session.Store(client);
        Audit.Record(session, http, clock, "client.care-team-member-added", nameof(RosterClient), client.Id.ToString(), client.Id,
            outcome: $"member {member.Value.Id}");
        var changed = client.Changed();
        return (await GetCareTeam.ViewAsync(client, user, session), [changed]);
    }
}
