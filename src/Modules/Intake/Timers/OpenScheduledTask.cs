using JasperFx;
using Portal.BuildingBlocks.Concurrency;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Wolverine.Attributes;

namespace Portal.Intake.Timers;

/// <summary>
/// A durable timer: occurrence <see cref="Occurrence"/> of task <see cref="Key"/> opens at <see cref="OpensAt"/> (a
/// date's day came, or a repeating task's next occurrence).
/// </summary>
public sealed record OpenScheduledTask(Guid AssignmentId, string Key, int Occurrence, DateTimeOffset OpensAt);

/// <summary>
/// Opens the task if, and only if, the assignment still plans it for this very moment: a date changed since then
/// re-planned it (a newer timer opens it), a task already opened, or an ended assignment, make the timer do nothing.
/// </summary>
public static class OpenScheduledTaskHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task Handle(
        OpenScheduledTask timer, IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < timer.OpensAt)
        {
            // Delivered before its time (clocks of two hosts differ): wait for the time it was set for.
            await bus.ScheduleAsync(timer, timer.OpensAt);
            return;
        }

        var stream = await session.Events.FetchForWriting<IntakeAssignment>(timer.AssignmentId, cancellation);
        if (stream.Aggregate is not { IsTerminal: false } state) return;
        var task = state.Tasks.FirstOrDefault(t => t is { TaskId: null, Status: AssignmentTaskStatus.Scheduled }
                                                   && t.Key == timer.Key && t.Occurrence == timer.Occurrence);
        if (task is null || task.OpensAt != timer.OpensAt) return;

        // The task may be one the client did lately (done before request): read their activity under its lock.
        var activity = await EditLock.LoadLockedAsync<ClientActivity>(session, state.ClientId, cancellation);
        // Opening it may finish the stage and open the next, whose conditions can read the client's attributes.
        var client = await ClientAttributes.LoadAsync(session, looks, state.ClientId, cancellation);
        var process = AssignmentProcess.Continue(state, now, client);
        process.OpenScheduled(process.State.Placeholder(task.Key, task.Stage, task.Occurrence)!, activity);
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
    }
}
