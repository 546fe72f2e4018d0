using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// Autopay changed. A client's own enrolment, card update or cancellation is told to their provider; a suspension
/// (the card could not be charged) is told to the client, who has to update the card.
/// </summary>
public sealed class AutopayChangedHandler
{
    public static async Task<OutgoingMessages> Handle(AutopayChanged changed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<AutopayChangedHandler> logger, CancellationToken cancellation)
    {
        if (changed.Change == AutopayChange.Suspended)
        {
            var client = await Recipients.ClientAsync(session, changed.ClientId, cancellation);
            return
            [
                new SendEmail(DeterministicId.From("autopay-suspended", changed.EventId), changed.EventId, "autopay-suspended", client.Email,
                    new Dictionary<string, string>
                    {
                        ["firstName"] = client.FirstName,
                        ["practiceName"] = client.PracticeName,
                        ["portalLink"] = Links.Portal(configuration),
                    },
                    clock.GetUtcNow()),
            ];
        }

        if (!ProviderNotifier.ActedThroughPortal(changed.Actor)) return [];
        var action = changed.Change switch
        {
            AutopayChange.Enrolled => "enrolled in autopay",
            AutopayChange.Cancelled => "turned off autopay",
            _ => "updated their autopay card",
        };
        return await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.Autopay, changed.EventId,
            changed.ProviderId, changed.ClientId, action, cancellation);
    }
}
