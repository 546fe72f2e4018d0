using JasperFx;
using Portal.Intake.Engine;
using Wolverine.Attributes;

namespace Portal.Intake.Timers;

/// <summary>A durable timer: remind the client of one task, reminder number <see cref="Number"/>, at <see cref="At"/>.</summary>
public sealed record SendTaskReminder(Guid AssignmentId, Guid TaskId, int Number, DateTimeOffset At);

/// <summary>
/// Lets the state decide: a reminder for a task that is done, skipped or cancelled does nothing, and one delivered
/// twice sends once. A reminder arms the next one until the task's maximum is reached.
/// </summary>
public static class SendTaskReminderHandler
{
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task Handle(
        SendTaskReminder timer, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < timer.At)
        {
            // Delivered before its time (clocks of two hosts differ): wait for the time it was set for.
            await bus.ScheduleAsync(timer, timer.At);
            return;
        }

        var stream = await session.Events.FetchForWriting<IntakeAssignment>(timer.AssignmentId, cancellation);
        if (stream.Aggregate is not { IsTerminal: false } state) return;
        if (state.Task(timer.TaskId) is not { Status: AssignmentTaskStatus.Open } task) return;
        if (task.RemindersSent >= timer.Number) return;

        var spec = state.Stages[task.Stage].Tasks.First(t => t.Key == task.Key);
        var process = AssignmentProcess.Continue(state, now);
        process.Remind(task, timer.Number, byProvider: false, reason: null);
        if (timer.Number < spec.MaxReminders && spec.RemindEveryDays is { } every)
        {
            var next = now.AddDays(every);
            process.Schedule(new SendTaskReminder(state.Id, timer.TaskId, timer.Number + 1, next), next);
        }

        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
    }
}
