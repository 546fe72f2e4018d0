using Portal.Notifications.Delivery;

namespace Portal.Notifications.ClientEmails;

/// <summary>The card on file expires soon: the client is asked to add a new one (brand and last 4 digits only).</summary>
public sealed class AutopayCardExpiringHandler
{
    public static Task<OutgoingMessages> Handle(AutopayCardExpiring expiring, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        new ClientEmail("autopay-card-expiring", expiring.EventId, expiring.ClientId).ComposeForRecordByReaderAsync(session, clock, reader => new()
        {
            ["cardBrand"] = expiring.CardBrand,
            ["last4"] = expiring.Last4,
            ["expiresOn"] = reader.Day(expiring.ExpiresOn),
            ["portalLink"] = Links.Portal(configuration),
        }, tellClient: true, cancellation);
}
