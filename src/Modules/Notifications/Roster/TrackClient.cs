using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Messaging;

namespace Portal.Notifications.Roster;

/// <summary>This module's copy of a client's roster facts: name, email, provider and practice, for addressing emails.</summary>
public sealed class NotificationsClient : ClientCard
{
    /// <summary>"Jane D.": how provider emails name a client (first name and last initial only).</summary>
    public string ShortName => LastName.Length > 0 ? $"{FirstName} {char.ToUpperInvariant(LastName[0])}." : FirstName;
}

/// <summary>
/// Keeps the copy current and, under the card's edit lock, hands back the notifications held because they came before
/// the copy (<see cref="AwaitingCopy"/>).
/// </summary>
public sealed class TrackClientHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, IMessageBus bus, CancellationToken cancellation)
    {
        var card = await EditLock.LoadLockedAsync<NotificationsClient>(session, change.ClientId, cancellation) ?? new NotificationsClient();
        if (card.Apply(change)) session.Store(card);
        await AwaitingCopy.ReleaseAsync<NotificationAwaitingRoster>(session, bus, change.ClientId, cancellation);
    }
}
