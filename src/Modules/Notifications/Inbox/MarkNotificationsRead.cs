using System.Security.Claims;

namespace Portal.Notifications.Inbox;

/// <summary>Marks one of the provider's own notifications read (another provider's answers 404), or all of them.</summary>
public sealed class MarkNotificationsReadEndpoint
{
    [WolverinePost("/api/notifications/{id}/read")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<IResult> MarkOne(
        Guid id, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        await InboxCommands.MarkReadAsync(session, ListNotificationsEndpoint.ProviderOf(principal), id, clock, cancellation)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such notification.");

    [WolverinePost("/api/notifications/read-all")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<IResult> MarkAll(ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        await InboxCommands.MarkAllReadAsync(session, ListNotificationsEndpoint.ProviderOf(principal), clock, cancellation);
        return Results.NoContent();
    }
}

internal static class InboxCommands
{
    public static async Task<bool> MarkReadAsync(
        IDocumentSession session, Guid providerId, Guid id, TimeProvider clock, CancellationToken cancellation)
    {
        var notification = await session.LoadAsync<ProviderNotification>(id, cancellation);
        if (notification is null || notification.ProviderId != providerId) return false;
        if (notification.ReadAt is null)
        {
            notification.ReadAt = clock.GetUtcNow();
            session.Store(notification);
        }
        return true;
    }

    public static async Task MarkAllReadAsync(IDocumentSession session, Guid providerId, TimeProvider clock, CancellationToken cancellation)
    {
        var unread = await session.Query<ProviderNotification>()
            .Where(n => n.ProviderId == providerId && n.ReadAt == null)
            .ToListAsync(cancellation);
        var now = clock.GetUtcNow();
        foreach (var notification in unread)
        {
            notification.ReadAt = now;
            session.Store(notification);
        }
    }
}
