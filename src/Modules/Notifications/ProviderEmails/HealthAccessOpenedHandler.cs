using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// Support opened a client's health information (break-glass): the client's provider is told at once, whatever their
/// digest preference, by email and in their console notifications, naming the support user and the reason they gave.
/// No health detail: only who, which client, why and until when. A replay of the same grant tells nothing more.
/// </summary>
public sealed class HealthAccessOpenedHandler
{
    public static async Task<OutgoingMessages> Handle(HealthAccessOpened opened, IDocumentSession session, EmailSender sender,
        IConfiguration configuration, TimeProvider clock, CancellationToken cancellation)
    {
        var id = DeterministicId.From("provider", NotificationKind.HealthAccess, opened.GrantId, opened.ProviderId);
        var batch = await EditLock.LockedBatchAsync<DeliveryRecord>(session, id, cancellation);
        var providerLoad = batch.Load<NotificationsProvider>(opened.ProviderId);
        var clientLoad = batch.Load<NotificationsClient>(opened.ClientId);
        var existingLoad = batch.Load<ProviderNotification>(id);
        var deliveryLoad = batch.Load<DeliveryRecord>(id);
        await batch.Execute(cancellation);
        var provider = await providerLoad ?? throw new RosterNotYetKnownException("provider", opened.ProviderId);
        var client = await clientLoad ?? throw new RosterNotYetKnownException("client", opened.ClientId);
        if (await existingLoad is not null) return [];

        var link = Links.ClientInConsole(configuration, opened.ClientId);
        var supportName = opened.OpenedBy.DisplayName is { Length: > 0 } name ? name : "Support";
        session.Store(new ProviderNotification
        {
            Id = id,
            ProviderId = opened.ProviderId,
            ClientId = opened.ClientId,
            Kind = NotificationKind.HealthAccess,
            Text = $"{supportName} (support) opened {client.ShortName}'s health information. Reason: {opened.Reason}",
            Link = link,
            Urgent = false,
            At = clock.GetUtcNow(),
        });

        var reader = await EmailReaders.ForProviderAsync(session, provider, cancellation);
        var values = reader.Dress(new Dictionary<string, string>
        {
            ["providerName"] = provider.Name,
            ["clientName"] = client.ShortName,
            ["supportName"] = supportName,
            ["reason"] = opened.Reason,
            ["until"] = reader.When(opened.ExpiresAt),
            ["consoleLink"] = link,
        });
        var email = new SendEmail(id, opened.GrantId, "provider-health-access", provider.Email, values, clock.GetUtcNow());
        return await sender.SendNowAsync(session, email, await deliveryLoad, cancellation);
    }
}
