using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>Every task of an assignment is done: the provider is told the client finished the workflow.</summary>
public sealed class AssignmentCompletedHandler
{
    public static Task<OutgoingMessages> Handle(
        AssignmentCompleted completed, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyAsync(session, new ClientActivity(NotificationKind.AssignmentCompleted, completed.AssignmentId,
            completed.ProviderId, completed.ClientId, $"completed every task of \u201c{completed.WorkflowName}\u201d"), cancellation);
}
