using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client completed an assessment through the portal: "Jane D. completed an assessment". Never the instrument,
/// score, severity or safety flag (the flag has its own urgent notification, <see cref="SafetyFlagRaisedHandler"/>).
/// </summary>
public sealed class AssessmentCompletedHandler
{
    public static Task<OutgoingMessages> Handle(
        AssessmentCompleted completed, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyIfClientActedAsync(session, completed.Actor, new ClientActivity(NotificationKind.Assessments, completed.EventId,
            completed.ProviderId, completed.ClientId, "completed an assessment"), cancellation);
}
