using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.CareTeams;

/// <summary>
/// The owner or the current primary hands a client to another owner or clinician of the practice. The previous primary
/// stays on the care team when <see cref="KeepPreviousOnTeam"/> asks for it, and otherwise no longer sees the client
/// (an owner still does). The client's eligibility now follows the new primary's portal switch.
/// </summary>
public sealed record TransferPrimaryRequest(Guid ToMemberId, bool KeepPreviousOnTeam = false);

internal sealed class TransferPrimaryValidator : AbstractValidator<TransferPrimaryRequest>
{
    public TransferPrimaryValidator() => RuleFor(r => r.ToMemberId).NotEmpty().WithMessage("Choose the new primary clinician.");
}

public static class TransferPrimaryEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/care-team/primary")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, TransferPrimaryRequest request, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await TransferPrimary.ExecuteAsync(clientId, request, principal, session, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class TransferPrimary
{
    public static async Task<(Outcome<CareTeamView>, OutgoingMessages)> ExecuteAsync(Guid clientId, TransferPrimaryRequest request,
        ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpContext? http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var loaded = await CareTeamRules.LoadToManageAsync(session, clientId, user, "transfers the client", cancellation);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var client = loaded.Value!;

        var to = await CareTeamRules.ClinicalMemberAsync(session, client.PracticeId, request.ToMemberId, "toMemberId");
        if (!to.Succeeded) return (to.Refusal, []);
        var from = client.ProviderId;
        if (to.Value.Id == from) return (Refusal.Invalid("toMemberId", "This member is already the client's primary clinician."), []);

        client.ProviderId = to.Value.Id;
        client.ProviderPortalEnabled = to.Value.PortalEnabled;
        client.CareTeam.Remove(to.Value.Id);
        if (request.KeepPreviousOnTeam && !client.CareTeam.Contains(from)) client.CareTeam.Add(from);
        session.Store(client);

        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "client.primary-transferred", nameof(RosterClient), client.Id.ToString(), client.Id,
            outcome: $"from {from} to {to.Value.Id}");
        var changed = client.Changed();
        var told = new PrimaryClinicianChanged(Guid.CreateVersion7(), client.Id, from, to.Value.Id, user.AsActor(), now)
        {
            ByMemberId = user.ProviderId,
        };
        return (await GetCareTeam.ViewAsync(client, user, session), [changed, told]);
    }
}
