using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client signed a consent form or policy through the portal: their provider is told which one.</summary>
public sealed class ConsentFormSignedHandler
{
    public static Task<OutgoingMessages> Handle(
        ConsentFormSigned signed, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyIfClientActedAsync(session, signed.Actor, new ClientActivity(NotificationKind.ConsentForms, signed.EventId,
            signed.ProviderId, signed.ClientId, $"signed \u201c{signed.DocumentTitle}\u201d"), cancellation);
}
