using Portal.Notifications.Delivery;

namespace Portal.Notifications.Support;

public sealed record DeliveryView(Guid Id, string MessageId, Guid CausedBy, string Template, string To, string Subject,
    DeliveryStatus Status, int Attempts, string? LastError, DateTimeOffset RequestedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? SentAt);

/// <summary>The delivery log for support staff: newest first, optionally only one status or one recipient.</summary>
public sealed class ListDeliveriesEndpoint
{
    [WolverineGet("/api/support/deliveries")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static Task<IReadOnlyList<DeliveryView>> Get(string? status, string? to, IQuerySession session, CancellationToken cancellation) =>
        DeliveryQueries.ListAsync(session, status, to, cancellation);
}

internal static class DeliveryQueries
{
    public const int PageSize = 200;

    public static async Task<IReadOnlyList<DeliveryView>> ListAsync(IQuerySession session, string? status, string? to, CancellationToken cancellation)
    {
        IQueryable<DeliveryRecord> query = session.Query<DeliveryRecord>();
        if (Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var wanted) && !int.TryParse(status, out _))
            query = query.Where(d => d.Status == wanted);
        if (!string.IsNullOrWhiteSpace(to))
        {
            var address = to.Trim();
            query = query.Where(d => d.To.Equals(address, StringComparison.OrdinalIgnoreCase));
        }
        var records = await query.OrderByDescending(d => d.RequestedAt).Take(PageSize).ToListAsync(cancellation);
        return records.Select(d => new DeliveryView(d.Id, d.MessageId, d.CausedBy, d.Template, d.To, d.Subject, d.Status, d.Attempts,
            d.LastError, d.RequestedAt, d.LastAttemptAt, d.SentAt)).ToList();
    }

    public static Task<int> CountAsync(IQuerySession session, DeliveryStatus status, CancellationToken cancellation) =>
        session.Query<DeliveryRecord>().CountAsync(d => d.Status == status, cancellation);
}
