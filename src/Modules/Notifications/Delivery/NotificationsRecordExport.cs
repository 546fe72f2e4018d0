using Portal.BuildingBlocks.Records;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;

namespace Portal.Notifications.Delivery;

/// <summary>
/// Notifications in a client's export: the emails sent to the client's address and the providers' notifications
/// about them, each as kind, subject, status and times. Never a body or a link (bodies carry secret links).
/// </summary>
internal sealed class NotificationsRecordExport(IQuerySession session) : IClientRecordExport
{
    public string Module => "notifications";

    public async Task WriteAsync(Guid clientId, ClientRecordArchive archive, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<NotificationsClient>(clientId, cancellation);
        var email = card?.Email.Trim().ToLowerInvariant();
        var emails = email is null ? [] : await session.Query<DeliveryRecord>().Where(d => d.To == email).OrderBy(d => d.RequestedAt)
            .ToListAsync(cancellation);
        var notices = await session.Query<ProviderNotification>().Where(n => n.ClientId == clientId).OrderBy(n => n.At)
            .ToListAsync(cancellation);
        await archive.AddJsonAsync($"{Module}.json", new
        {
            EmailsToClient = emails.Select(d => new { d.Template, d.Subject, d.Status, d.RequestedAt, d.SentAt }),
            ProviderNotifications = notices.Select(n => new { n.Kind, n.ProviderId, n.Urgent, n.At, n.ReadAt }),
        }, cancellation);
    }
}
