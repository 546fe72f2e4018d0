using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// An answer was flagged for safety follow-up: the provider is emailed at once, whatever their digest preference,
/// that the client "needs your attention today", still without the answer or the instrument.
/// </summary>
public sealed class SafetyFlagRaisedHandler
{
    public static Task<OutgoingMessages> Handle(
        SafetyFlagRaised raised, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyAsync(session, new ClientActivity(NotificationKind.SafetyFlag, raised.EventId,
            raised.ProviderId, raised.ClientId, "needs your attention today"), cancellation);
}
