using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Messaging;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Portal.Intake.Triggers;

namespace Portal.Intake.Roster;

/// <summary>The roster facts workflows need about a client: whose client they are, their name.</summary>
public sealed class IntakeClient : ClientCard;

/// <summary>
/// Keeps the copy current and, under the card's edit lock, hands back the messages held because they came before the
/// copy (<see cref="AwaitingCopy"/>).
/// </summary>
public static class ClientRosterChangedHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        IPracticeLooks looks, CancellationToken cancellation)
    {
        var known = await EditLock.LoadLockedAsync<IntakeClient>(session, change.ClientId, cancellation);
        var card = known ?? new IntakeClient();
        var wasDischarged = card.Discharged;
        // The copy as it was, before this change: triggers fire on what changed (Triggers/WorkflowTriggers.cs).
        var before = WorkflowTriggers.Before.Of(known);
        if (card.Apply(change)) session.Store(card);
        if (card.Discharged && !wasDischarged) await DischargeCancelsAssignments.CancelAsync(session, bus, clock, card.Id, cancellation);
        await WorkflowTriggers.StartAsync(session, bus, clock, looks, before, card, cancellation);
        await AwaitingCopy.ReleaseAsync<IntakeMessageAwaitingRoster>(session, bus, change.ClientId, cancellation);
    }
}
