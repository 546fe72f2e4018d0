using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.Lifecycle;

/// <summary>The provider discharges a client, saying why (required, at most 500 characters).</summary>
public sealed record DischargeClientRequest(string? Reason);

internal sealed class DischargeClientValidator : AbstractValidator<DischargeClientRequest>
{
    public DischargeClientValidator()
    {
        RuleFor(r => r.Reason).Must(r => !string.IsNullOrWhiteSpace(r)).WithMessage("Give a reason for the discharge.")
            .MaximumLength(LifecycleRule.MaximumReason)
            .WithMessage($"The reason can be at most {LifecycleRule.MaximumReason} characters.");
    }
}

/// <summary>
/// Discharge: the client stays on the roster with everything recorded about them, but is no longer eligible. The
/// roster message (<see cref="ClientRosterChanged.Discharged"/>) tells every module, which each close their part:
/// Invitations the account and its sessions, Intake the open tasks and reminders, Forms the recurring assessments,
/// Autopay new charges.
/// </summary>
public static class DischargeClientEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/discharge")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, DischargeClientRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ClientLifecycle.DischargeAsync(clientId, request.Reason!, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static partial class ClientLifecycle
{
    public static async Task<(Outcome<ClientLifecycleView>, OutgoingMessages)> DischargeAsync(Guid clientId, string reason,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        // Under the client's edit lock: a discharge racing an edit or a re-open waits, so each sees the other's result.
        var client = await EditLock.LoadLockedAsync<RosterClient>(session, clientId, http.RequestAborted);
        if (LifecycleRule.Refuses(user, client) is { } refusal) return (refusal, []);
        if (client!.Discharged)
            return (Refusal.Conflict("This client is already discharged.", "Re-open the client first if they are coming back."), []);

        var now = clock.GetUtcNow();
        client.Discharged = true;
        client.LastDischarge = new Discharge(reason.Trim(), now, user.ProviderId!.Value, user.DisplayName);
        session.Store(client);
        // The reason is the provider's own words about the client: kept in the audit line as the break-glass reason is.
        Audit.Record(session, http, clock, "client.discharged", nameof(RosterClient), client.Id.ToString(), client.Id,
            $"reason: {client.LastDischarge.Reason}");
        return (ClientLifecycleView.Of(client), [client.Changed()]);
    }
}
