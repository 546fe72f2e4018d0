using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A practice's webhook endpoint was disabled after a day of failures (Integrations): each active owner of the
/// practice is emailed with the URL and since when it failed, never a payload. One email per owner and disabling.
/// </summary>
public sealed class WebhookEndpointDisabledHandler
{
    public static async Task<OutgoingMessages> Handle(WebhookEndpointDisabled disabled, IDocumentSession session,
        IConfiguration configuration, TimeProvider clock, CancellationToken cancellation)
    {
        var owners = await session.Query<NotificationsProvider>()
            .Where(p => p.PracticeId == disabled.PracticeId && p.Role == StaffRole.Owner && p.Active)
            .ToListAsync(cancellation);
        var messages = new OutgoingMessages();
        foreach (var owner in owners)
        {
            var reader = await EmailReaders.ForProviderAsync(session, owner, cancellation);
            messages.Add(new SendEmail(DeterministicId.From("webhook-disabled", disabled.EventId, owner.Id), disabled.EventId,
                "webhook-disabled", owner.Email,
                reader.Dress(new Dictionary<string, string>
                {
                    ["providerName"] = owner.Name,
                    ["webhookUrl"] = disabled.Url,
                    ["failingSince"] = reader.When(disabled.FailingSince),
                    ["integrationsLink"] = $"{Links.PublicUrl(configuration)}/console/integrations",
                }),
                clock.GetUtcNow()));
        }
        return messages;
    }
}
