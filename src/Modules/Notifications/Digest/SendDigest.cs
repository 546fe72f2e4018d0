using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;

namespace Portal.Notifications.Digest;

/// <summary>The provider's next digest is scheduled for <see cref="DueAt"/> (one per provider at a time).</summary>
public sealed class DigestSchedule
{
    public Guid Id { get; set; }
    public DateTimeOffset DueAt { get; set; }
}

/// <summary>A durable scheduled message: time to email a provider the notifications waiting for their digest.</summary>
public sealed record SendDigest(Guid ProviderId, DateTimeOffset DueAt);

/// <summary>
/// Gathers what waits for the provider's digest into one email. State decides: a digest that fires early
/// reschedules itself; one with nothing waiting sends nothing; the email's id comes from (provider, due time), so a
/// replay cannot send it twice.
/// </summary>
public sealed class SendDigestHandler
{
    public static async Task<OutgoingMessages> Handle(SendDigest digest, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < digest.DueAt) return [digest.ScheduledAt(digest.DueAt)];

        var schedule = await session.LoadAsync<DigestSchedule>(digest.ProviderId, cancellation);
        if (schedule is not null && schedule.DueAt <= digest.DueAt) session.Delete(schedule);

        var waiting = await session.Query<ProviderNotification>()
            .Where(n => n.ProviderId == digest.ProviderId && n.AwaitingDigest)
            .OrderBy(n => n.At)
            .ToListAsync(cancellation);
        if (waiting.Count == 0) return [];

        var provider = await Recipients.ProviderAsync(session, digest.ProviderId, cancellation);
        var digestId = DeterministicId.From("provider-digest", digest.ProviderId, digest.DueAt.ToUnixTimeSeconds());
        var reader = await EmailReaders.ForProviderAsync(session, provider, cancellation);
        foreach (var notification in waiting)
        {
            notification.AwaitingDigest = false;
            notification.DigestId = digestId;
            session.Store(notification);
        }

        return
        [
            new SendEmail(digestId, digestId, "provider-digest", provider.Email,
                reader.Dress(new Dictionary<string, string>
                {
                    ["providerName"] = provider.Name,
                    ["count"] = waiting.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["inboxLink"] = Links.Inbox(configuration),
                }),
                now,
                Lines: waiting.Select(n => new DigestLine(n.Text, n.Link, n.Urgent)).ToList()),
        ];
    }
}
