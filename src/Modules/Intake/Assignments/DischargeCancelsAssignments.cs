using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>
/// A discharged client is asked nothing more: each running assignment is cancelled with the reason, as a provider's
/// cancellation does, so its open tasks close (<see cref="TaskClosed"/> Cancelled) and its reminders and due dates
/// find it ended and do nothing.
/// </summary>
internal static class DischargeCancelsAssignments
{
    public const string Reason = "The client was discharged.";
    public static readonly Actor Practice = new(ActorKind.System, Guid.Empty, "the discharge");

    public static async Task CancelAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, Guid clientId,
        CancellationToken cancellation)
    {
        var running = await session.Query<IntakeAssignment>()
            .Where(a => a.ClientId == clientId && a.Status == AssignmentStatus.Running)
            .Select(a => a.Id)
            .ToListAsync(cancellation);
        var processes = new List<AssignmentProcess>();
        foreach (var id in running)
        {
            var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
            if (stream.Aggregate is not { IsTerminal: false } state) continue;
            var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
            process.Cancel(Reason, Practice);
            stream.AppendMany(process.Events);
            processes.Add(process);
        }
        await processes.SendAsync(bus);
    }
}
