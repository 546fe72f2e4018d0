using JasperFx;
using Portal.Intake.Engine;
using Wolverine.Attributes;

namespace Portal.Intake.Timers;

/// <summary>A durable timer: the task's due date has come.</summary>
public sealed record MarkTaskOverdue(Guid AssignmentId, Guid TaskId, DateTimeOffset DueAt);

/// <summary>Marks a task overdue if, and only if, it is still open then; once, however often it is delivered.</summary>
public static class MarkTaskOverdueHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task Handle(
        MarkTaskOverdue timer, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < timer.DueAt)
        {
            await bus.ScheduleAsync(timer, timer.DueAt);
            return;
        }

        var stream = await session.Events.FetchForWriting<IntakeAssignment>(timer.AssignmentId, cancellation);
        if (stream.Aggregate is not { IsTerminal: false } state) return;
        if (state.Task(timer.TaskId) is not { Status: AssignmentTaskStatus.Open, Overdue: false } task) return;
        // The due date moved since this timer was armed (a date changed): the timer of the new one marks it.
        if (task.DueAt != timer.DueAt) return;

        var process = AssignmentProcess.Continue(state, now);
        process.MarkOverdue(task);
        stream.AppendMany(process.Events);
    }
}
