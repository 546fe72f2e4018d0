using Portal.Notifications.Delivery;

namespace Portal.Notifications.ClientEmails;

/// <summary>A reminder for an open task: the client is emailed the task's title and a link to the portal.</summary>
public sealed class TaskReminderDueHandler
{
    public static Task<SendEmail> Handle(TaskReminderDue reminder, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        new ClientEmail("task-reminder", reminder.ReminderId, reminder.ClientId).ComposeAsync(session, clock, new()
        {
            ["taskTitle"] = reminder.TaskTitle,
            ["dueText"] = reminder.DueAt is { } due ? $"on {Links.When(due)}" : string.Empty,
            ["portalLink"] = Links.Portal(configuration),
        }, cancellation);
}
