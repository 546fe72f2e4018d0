using System.Security.Claims;

namespace Portal.Notifications.Inbox;

public sealed record NotificationItem(
    Guid Id, Guid ClientId, NotificationKind Kind, string Text, string Link, bool Urgent, DateTimeOffset At, bool Read);

public sealed record NotificationList(int UnreadCount, IReadOnlyList<NotificationItem> Items);

public sealed record UnreadCount(int Count);

/// <summary>The signed-in provider's own notifications, newest first, with the number not yet read.</summary>
public sealed class ListNotificationsEndpoint
{
    [WolverineGet("/api/notifications")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static Task<NotificationList> Get(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        InboxQueries.ListAsync(session, ProviderOf(principal), cancellation);

    [WolverineGet("/api/notifications/unread-count")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<UnreadCount> GetUnreadCount(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        new(await InboxQueries.UnreadCountAsync(session, ProviderOf(principal), cancellation));

    internal static Guid ProviderOf(ClaimsPrincipal principal) =>
        CurrentUser.From(principal)?.ProviderId ?? throw new InvalidOperationException("The provider policy guarantees a provider id.");
}

internal static class InboxQueries
{
    public const int PageSize = 100;

    public static async Task<NotificationList> ListAsync(IQuerySession session, Guid providerId, CancellationToken cancellation)
    {
        var items = await session.Query<ProviderNotification>()
            .Where(n => n.ProviderId == providerId)
            .OrderByDescending(n => n.At)
            .Take(PageSize)
            .ToListAsync(cancellation);
        return new NotificationList(
            await UnreadCountAsync(session, providerId, cancellation),
            items.Select(n => new NotificationItem(
                    n.Id, n.ClientId, n.Kind, n.Text, $"/console/clients/{n.ClientId}", n.Urgent, n.At, n.ReadAt is not null))
                .ToList());
    }

    public static Task<int> UnreadCountAsync(IQuerySession session, Guid providerId, CancellationToken cancellation) =>
        session.Query<ProviderNotification>().CountAsync(n => n.ProviderId == providerId && n.ReadAt == null, cancellation);
}
