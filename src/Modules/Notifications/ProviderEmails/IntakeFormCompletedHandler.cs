using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client completed an intake form through the portal: their provider is told, without the form's title (a title
/// such as "Substance use history" would itself be a health detail) and without any answer.
/// </summary>
public sealed class IntakeFormCompletedHandler
{
    public static Task<OutgoingMessages> Handle(
        IntakeFormCompleted completed, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyIfClientActedAsync(session, completed.Actor, new ClientActivity(NotificationKind.IntakeForms, completed.EventId,
            completed.ProviderId, completed.ClientId, "completed an intake form"), cancellation);
}
