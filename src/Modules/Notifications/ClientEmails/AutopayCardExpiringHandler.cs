using Marten;
using Microsoft.Extensions.Configuration;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>The card on file expires soon: the client is asked to add a new one (brand and last 4 digits only).</summary>
public sealed class AutopayCardExpiringHandler
{
    public static async Task<SendEmail> Handle(AutopayCardExpiring expiring, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, expiring.ClientId, cancellation);
        return new SendEmail(DeterministicId.From("autopay-card-expiring", expiring.EventId), expiring.EventId, "autopay-card-expiring", client.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = client.FirstName,
                ["practiceName"] = client.PracticeName,
                ["cardBrand"] = expiring.CardBrand,
                ["last4"] = expiring.Last4,
                ["expiresOn"] = Links.Day(expiring.ExpiresOn),
                ["portalLink"] = Links.Portal(configuration),
            },
            clock.GetUtcNow());
    }
}
