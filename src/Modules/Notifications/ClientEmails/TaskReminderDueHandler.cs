using Microsoft.Extensions.Logging;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// A reminder for an open task: the client is emailed what kind of task waits (in generic words, never the provider's
/// title, which can name a health matter such as "PHQ-9") and a link to the portal, only while their
/// portal is eligible and their account active (as this module's roster copy says). An ineligible client is never
/// emailed, and a client without an account has the invitation to act on, not a portal link they cannot use yet.
/// The record's contacts who receive emails and whose login is active are reminded as well, under the same rules.
/// </summary>
public sealed class TaskReminderDueHandler
{
    public static async Task<OutgoingMessages> Handle(TaskReminderDue reminder, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, ILogger<TaskReminderDueHandler> logger, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, reminder.ClientId, cancellation);
        var tellClient = client.Eligible && client.HasActiveAccount;
        Func<EmailReader, Dictionary<string, string>> values = reader => new()
        {
            ["taskWords"] = reminder.Kind is { } kind
                ? ClientTasksRequestedHandler.Phrase(kind, 1, "your", reader.Language)
                : reader.Words("complete a task in your portal"),
            ["dueText"] = reminder.DueAt is { } due ? reader.When(due) : string.Empty,
            ["portalLink"] = Links.Portal(configuration),
        };
        // A contact who receives the record's emails is reminded too (a parent of a child without a login of their own).
        var emails = await new ClientEmail("task-reminder", reminder.ReminderId, reminder.ClientId).ComposeForRecordByReaderAsync(session, clock,
            values, tellClient, cancellation, forContactsByReader: reader => new()
            {
                ["taskWords"] = reminder.Kind is { } forKind
                    ? ClientTasksRequestedHandler.Phrase(forKind, 1, "their", reader.Language)
                    : reader.Words("complete a task"),
            });
        if (emails.Count == 0)
            logger.LogInformation("No reminder {ReminderId} for client {ClientId}: eligible {Eligible}, active account {Active}",
                reminder.ReminderId, reminder.ClientId, client.Eligible, client.HasActiveAccount);
        return emails;
    }
}
