using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.Lifecycle;

/// <summary>
/// Re-open: the discharged client is eligible again (as their provider's switch and support's override say). The
/// account the discharge closed stays closed: the client needs a new invitation, and activating it opens the account
/// again with a new password.
/// </summary>
public static class ReopenClientEndpoint
{
    [WolverinePost("/api/console/clients/{clientId}/reopen")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ClientLifecycle.ReopenAsync(clientId, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static partial class ClientLifecycle
{
    public static async Task<(Outcome<ClientLifecycleView>, OutgoingMessages)> ReopenAsync(Guid clientId, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var client = await EditLock.LoadLockedAsync<RosterClient>(session, clientId, http.RequestAborted);
        if (LifecycleRule.Refuses(user, client) is { } refusal) return (refusal, []);
        if (!client!.Discharged) return (Refusal.Conflict("This client is not discharged."), []);

        client.Discharged = false;
        client.LastDischarge = client.LastDischarge! with { ReopenedAt = clock.GetUtcNow() };
        session.Store(client);
        Audit.Record(session, http, clock, "client.reopened", nameof(RosterClient), client.Id.ToString(), client.Id);
        return (ClientLifecycleView.Of(client), [client.Changed()]);
    }
}
