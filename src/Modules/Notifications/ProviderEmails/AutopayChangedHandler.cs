using Portal.Notifications.ClientEmails;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// Autopay changed. A client's own enrolment, card update or cancellation is told to their provider; a suspension
/// (the card could not be charged) is told to the client, who has to update the card.
/// </summary>
public sealed class AutopayChangedHandler
{
    public static async Task<OutgoingMessages> Handle(AutopayChanged changed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ProviderNotifier notifier, CancellationToken cancellation)
    {
        if (changed.Change == AutopayChange.Suspended)
            return await new ClientEmail("autopay-suspended", changed.EventId, changed.ClientId)
                .ComposeForRecordAsync(session, clock, new() { ["portalLink"] = Links.Portal(configuration) }, tellClient: true, cancellation);

        var action = changed.Change switch
        {
            AutopayChange.Enrolled => "enrolled in autopay",
            AutopayChange.Cancelled => "turned off autopay",
            _ => "updated their autopay card",
        };
        return await notifier.NotifyIfClientActedAsync(session, changed.Actor,
            new ClientActivity(NotificationKind.Autopay, changed.EventId, changed.ProviderId, changed.ClientId, action), cancellation);
    }
}
