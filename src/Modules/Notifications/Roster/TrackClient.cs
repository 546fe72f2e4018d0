namespace Portal.Notifications.Roster;

/// <summary>This module's copy of a client's roster facts: name, email, provider and practice, for addressing emails.</summary>
public sealed class NotificationsClient : ClientCard
{
    /// <summary>"Jane D.": how provider emails name a client (first name and last initial only).</summary>
    public string ShortName => LastName.Length > 0 ? $"{FirstName} {char.ToUpperInvariant(LastName[0])}." : FirstName;
}

public sealed class TrackClientHandler
{
    public static async Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var card = await session.LoadAsync<NotificationsClient>(change.ClientId, cancellation) ?? new NotificationsClient();
        if (card.Apply(change)) session.Store(card);
    }
}
