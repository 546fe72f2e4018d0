using Portal.BuildingBlocks.Concurrency;

namespace Portal.Notifications.Roster;

/// <summary>
/// This module's copy of a client's contacts (under the client's id): who they are and whether they receive emails
/// (from the roster), and the login each acts through (from Invitations, which owns logins). The two facts come from
/// two modules in any order, so each part keeps its own order: the roster's <see cref="Version"/>, each login's time.
/// </summary>
public sealed class NotificationsContacts
{
    public Guid Id { get; set; }
    public List<ClientContactFacts> Contacts { get; set; } = [];
    public long Version { get; set; }
    public List<NotificationsContactLogin> Logins { get; set; } = [];

    /// <summary>The contacts who receive the record's emails now, at their login's address.</summary>
    public IEnumerable<(ClientContactFacts Contact, string Email)> Receiving() =>
        from contact in Contacts
        where contact.ReceivesEmails
        join login in Logins on contact.ContactId equals login.ContactId
        where login.Active
        select (contact, login.Email);
}

public sealed record NotificationsContactLogin(Guid ContactId, Guid AccountId, string Email, bool Active, DateTimeOffset At);

/// <summary>Keeps <see cref="NotificationsContacts"/> current from the roster's list of a client's contacts.</summary>
public sealed class TrackContactsHandler
{
    public static async Task Handle(ClientContactsChanged message, IDocumentSession session, CancellationToken cancellation)
    {
        var copy = await EditLock.LoadLockedAsync<NotificationsContacts>(session, message.ClientId, cancellation)
                   ?? new NotificationsContacts { Id = message.ClientId };
        if (message.Version <= copy.Version) return;
        copy.Contacts = [.. message.Contacts];
        copy.Version = message.Version;
        session.Store(copy);
    }
}

/// <summary>Keeps the logins of <see cref="NotificationsContacts"/> current; an older fact about a contact is ignored.</summary>
public sealed class TrackContactLoginHandler
{
    public static async Task Handle(ContactLoginChanged message, IDocumentSession session, CancellationToken cancellation)
    {
        var copy = await EditLock.LoadLockedAsync<NotificationsContacts>(session, message.ClientId, cancellation)
                   ?? new NotificationsContacts { Id = message.ClientId };
        if (copy.Logins.FirstOrDefault(l => l.ContactId == message.ContactId) is { } known && known.At > message.At) return;
        copy.Logins.RemoveAll(l => l.ContactId == message.ContactId);
        copy.Logins.Add(new NotificationsContactLogin(message.ContactId, message.AccountId, message.Email, message.Active, message.At));
        session.Store(copy);
    }
}
