using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Messaging;
using Portal.Integrations.Webhooks;

namespace Portal.Integrations.Roster;

/// <summary>
/// This module's copy of a client's roster facts: above all their practice, which decides whose webhooks hear of them;
/// with the date of birth and the time of the last change the FHIR Patient shows.
/// </summary>
public sealed class IntegrationsClient : ClientCard
{
    public DateTimeOffset? LastUpdated { get; set; }
}

/// <summary>A webhook event about a client whose copy has not arrived yet (see <see cref="AwaitingCopy"/>).</summary>
internal sealed class IntegrationsCopyMissing(Guid clientId)
    : CopyNotYetArrivedException(typeof(IntegrationsClient), clientId, "client");

/// <summary>An event held until this module's copy of its client arrives.</summary>
public sealed class IntegrationsAwaitingRoster : MessageAwaitingCopy;

/// <summary>
/// Keeps the copy current; the first time this module hears of a client, the practice's endpoints are told
/// <c>client.added</c>. Under the card's edit lock it hands back the events held because they came before the copy.
/// </summary>
public static class IntegrationsClientRosterHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        CancellationToken cancellation)
    {
        var existing = await EditLock.LoadLockedAsync<IntegrationsClient>(session, change.ClientId, cancellation);
        var client = existing ?? new IntegrationsClient();
        if (client.Apply(change))
        {
            client.LastUpdated = clock.GetUtcNow();
            session.Store(client);
        }
        if (existing is null)
        {
            await WebhookEventRaiser.RaiseAsync(session, bus, change.PracticeId, WebhookEvents.ClientAdded,
                DeterministicId.From(WebhookEvents.ClientAdded, change.ClientId), clock.GetUtcNow(),
                new Dictionary<string, object?> { ["clientId"] = change.ClientId }, cancellation);
        }
        await AwaitingCopy.ReleaseAsync<IntegrationsAwaitingRoster>(session, bus, change.ClientId, cancellation);
    }
}
