using Marten;
using Microsoft.Extensions.Configuration;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>A reminder for an open task: the client is emailed the task's title and a link to the portal.</summary>
public sealed class TaskReminderDueHandler
{
    public static async Task<SendEmail> Handle(TaskReminderDue reminder, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, reminder.ClientId, cancellation);
        return new SendEmail(DeterministicId.From("task-reminder", reminder.ReminderId), reminder.ReminderId, "task-reminder", client.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = client.FirstName,
                ["practiceName"] = client.PracticeName,
                ["taskTitle"] = reminder.TaskTitle,
                ["dueText"] = reminder.DueAt is { } due ? $"on {Links.When(due)}" : string.Empty,
                ["portalLink"] = Links.Portal(configuration),
            },
            clock.GetUtcNow());
    }
}
