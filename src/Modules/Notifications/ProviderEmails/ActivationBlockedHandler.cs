using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client's activation link closed after wrong dates of birth: their provider is told, since only a new invitation
/// from the provider lets the client in. The text names the client and what to do, never what was entered.
/// </summary>
public sealed class ActivationBlockedHandler
{
    public static Task<OutgoingMessages> Handle(
        ActivationBlocked blocked, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyAsync(session, new ClientActivity(NotificationKind.PortalAccess, blocked.EventId, blocked.ProviderId,
            blocked.ClientId, "could not activate their account (the date of birth did not match)"), cancellation);
}
