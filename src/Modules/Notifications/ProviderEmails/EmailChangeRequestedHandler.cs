using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client asked to change their login email: their provider is asked to approve it.</summary>
public sealed class EmailChangeRequestedHandler
{
    public static Task<OutgoingMessages> Handle(
        EmailChangeRequested requested, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyAsync(session, new ClientActivity(NotificationKind.EmailChangeRequest, requested.RequestId,
            requested.ProviderId, requested.ClientId, "asked to change their login email"), cancellation);
}
