using Microsoft.Extensions.Logging;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// A reminder for an open task: the client is emailed what kind of task waits (in generic words, never the provider's
/// title, which can name a health matter such as "PHQ-9") and a link to the portal, only while their
/// portal is eligible and their account active (as this module's roster copy says). An ineligible client is never
/// emailed, and a client without an account has the invitation to act on, not a portal link they cannot use yet.
/// </summary>
public sealed class TaskReminderDueHandler
{
    public static async Task<SendEmail?> Handle(TaskReminderDue reminder, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, ILogger<TaskReminderDueHandler> logger, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, reminder.ClientId, cancellation);
        if (!client.Eligible || !client.HasActiveAccount)
        {
            logger.LogInformation("No reminder {ReminderId} for client {ClientId}: eligible {Eligible}, active account {Active}",
                reminder.ReminderId, reminder.ClientId, client.Eligible, client.HasActiveAccount);
            return null;
        }

        return await new ClientEmail("task-reminder", reminder.ReminderId, reminder.ClientId).ComposeForReaderAsync(session, clock, reader => new()
        {
            ["taskWords"] = reminder.Kind is { } kind ? ClientTasksRequestedHandler.Phrase(kind, 1) : "complete a task in your portal",
            ["dueText"] = reminder.DueAt is { } due ? $"on {reader.When(due)}" : string.Empty,
            ["portalLink"] = Links.Portal(configuration),
        }, cancellation);
    }
}
