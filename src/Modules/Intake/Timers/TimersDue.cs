namespace Portal.Intake.Timers;

/// <summary>
/// Timers of many tasks that fall due at the same moment, armed as one durable message: a workflow assigned to 500
/// clients in one request arms a reminder and an overdue mark for each of their tasks, all at the same moments, and one
/// scheduled envelope per moment (at most <see cref="MaxTimers"/> timers each) keeps the assignment's transaction and the
/// inbox small (10,000 clients armed 30,000 envelopes, one per timer). A lone timer is armed as itself.
/// </summary>
public sealed record TimersDue(DateTimeOffset At, IReadOnlyList<SendTaskReminder> Reminders, IReadOnlyList<MarkTaskOverdue> Overdue)
{
    /// <summary>Scheduled tasks (a date's day, a repeat's next occurrence) that open at this moment.</summary>
    public IReadOnlyList<OpenScheduledTask> Opens { get; init; } = [];

    public const int MaxTimers = 500;

    /// <summary>Arms the timers a transaction set: one message per moment, a lone timer as itself.</summary>
    internal static async Task ArmAsync(IEnumerable<(object Message, DateTimeOffset At)> timers, IMessageBus bus)
    {
        foreach (var moment in timers.GroupBy(t => t.At))
        {
            var messages = moment.Select(t => t.Message).ToList();
            if (messages.Count == 1)
            {
                await bus.ScheduleAsync(messages[0], moment.Key);
                continue;
            }

            foreach (var chunk in messages.Chunk(MaxTimers))
            {
                var reminders = chunk.OfType<SendTaskReminder>().ToList();
                var overdue = chunk.OfType<MarkTaskOverdue>().ToList();
                var opens = chunk.OfType<OpenScheduledTask>().ToList();
                if (reminders.Count + overdue.Count + opens.Count != chunk.Length)
                    throw new InvalidOperationException(
                        $"Unknown timer {chunk.First(m => m is not (SendTaskReminder or MarkTaskOverdue or OpenScheduledTask)).GetType().Name}");
                await bus.ScheduleAsync(new TimersDue(moment.Key, reminders, overdue) { Opens = opens }, moment.Key);
            }
        }
    }
}

/// <summary>
/// When the moment comes, hands each timer to its own handler (in this transaction's outbox), which decides for its task
/// as a timer armed alone would: a task done, skipped or cancelled since then is left alone.
/// </summary>
public static class TimersDueHandler
{
    public static async Task<OutgoingMessages> Handle(TimersDue due, IMessageBus bus, TimeProvider clock)
    {
        if (clock.GetUtcNow() < due.At)
        {
            // Delivered before its time (clocks of two hosts differ): wait for the time it was set for.
            await bus.ScheduleAsync(due, due.At);
            return [];
        }

        var messages = new OutgoingMessages();
        messages.AddRange(due.Reminders);
        messages.AddRange(due.Overdue);
        messages.AddRange(due.Opens ?? []);
        return messages;
    }
}
