using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.Contacts;

/// <summary>This module's copy of one client's contacts (under the client's id): who may be invited to act for them.</summary>
public sealed class InvitationsContacts
{
    public Guid Id { get; set; }
    public List<ClientContactFacts> Contacts { get; set; } = [];
    public long Version { get; set; }
}

/// <summary>
/// Keeps the copy current. A login acting for a contact who was removed stops acting for the client; a login whose
/// contact changed (what they may do, their name, their email) has its sessions ended, since its cookie carries
/// those facts: the person signs in again and gets a cookie that tells the truth.
/// </summary>
public static class KeepContactsHandler
{
    public const string EndReason = "contact-changed";

    public static async Task<OutgoingMessages> Handle(ClientContactsChanged message, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        var copy = await EditLock.LoadLockedAsync<InvitationsContacts>(session, message.ClientId, cancellation)
                   ?? new InvitationsContacts { Id = message.ClientId };
        if (message.Version <= copy.Version) return messages;
        var before = copy.Contacts.ToDictionary(c => c.ContactId);
        copy.Contacts = [.. message.Contacts];
        copy.Version = message.Version;
        session.Store(copy);

        var changed = before.Values.Where(old => message.Contacts.SingleOrDefault(c => c.ContactId == old.ContactId) != old)
            .Select(old => old.ContactId).ToHashSet();
        if (changed.Count == 0) return messages;
        var accounts = await session.Query<Account>()
            .Where(a => a.ActsFor.Any(f => f.ClientId == message.ClientId))
            .ToListAsync(cancellation);
        var now = clock.GetUtcNow();
        foreach (var account in accounts.Where(a => a.ActsFor.Any(f => f.ClientId == message.ClientId && changed.Contains(f.ContactId))))
        {
            var gone = account.ActsFor
                .Where(f => f.ClientId == message.ClientId && message.Contacts.All(c => c.ContactId != f.ContactId)).ToList();
            account.ActsFor.RemoveAll(gone.Contains);
            if (gone.Count > 0) session.Store(account);
            messages.AddRange(gone.Select(f => new ContactLoginChanged(f.ClientId, f.ContactId, account.Id, account.Email, false, now)));
            var open = await session.Query<SignInSession>().Where(s => s.UserId == account.Id && s.EndedAt == null).ToListAsync(cancellation);
            foreach (var record in open)
            {
                record.End(now, EndReason);
                session.Store(record);
            }
        }
        return messages;
    }
}

internal static class ContactLogins
{
    /// <summary>The login's address for each record it acts for, after its email changed.</summary>
    public static IEnumerable<ContactLoginChanged> EmailChanged(Account account, DateTimeOffset now) =>
        account.ActsFor.Select(f => new ContactLoginChanged(f.ClientId, f.ContactId, account.Id, account.Email, account.Active, now));
}

/// <summary>The records a login acts for, with the facts the cookie and the switcher need.</summary>
/// <remarks>
/// <see cref="GuardianOnlyFrom"/>: for a parent or guardian, the day the client reaches the practice's own-login age; from
/// then on the parent completes only <see cref="GuardianCompletes"/>.
/// </remarks>
internal sealed record ActingRecord(Guid ClientId, string ClientName, string ActingAs, ClientContactFacts? Contact)
{
    public DateOnly? GuardianOnlyFrom { get; init; }
    public IReadOnlyList<TaskKind> GuardianCompletes { get; init; } = [];
}

internal static class ActingRecords
{
    public const string Self = "self";

    /// <summary>The account's own record first (when it is a client), then each record it acts for by name.</summary>
    public static async Task<IReadOnlyList<ActingRecord>> OfAsync(IQuerySession session, Account account, CancellationToken cancellation)
    {
        var ids = account.ActsFor.Select(f => f.ClientId).ToList();
        if (account.ClientId is { } own) ids.Add(own);
        if (ids.Count == 0) return [];
        var cards = (await session.LoadManyAsync<Roster.InvitationsClient>(cancellation, ids)).ToDictionary(c => c.Id);
        var contacts = (await session.LoadManyAsync<InvitationsContacts>(cancellation, ids)).ToDictionary(c => c.Id);
        var records = new List<ActingRecord>();
        if (account.ClientId is { } self && cards.TryGetValue(self, out var ownCard))
            records.Add(new ActingRecord(self, ownCard.DisplayName, Self, null));
        foreach (var entry in account.ActsFor)
        {
            if (!cards.TryGetValue(entry.ClientId, out var card) || card.Discharged) continue;
            var contact = contacts.GetValueOrDefault(entry.ClientId)?.Contacts.SingleOrDefault(c => c.ContactId == entry.ContactId);
            if (contact is null) continue;
            var record = new ActingRecord(card.Id, card.DisplayName, contact.Relationship.ToString(), contact);
            if (contact.Relationship is ContactRelationship.Parent or ContactRelationship.LegalGuardian)
            {
                var policy = await InvitationsMinorsPolicy.ForAsync(session, card.PracticeId, cancellation);
                record = record with { GuardianOnlyFrom = policy.OwnLoginFrom(card.DateOfBirth), GuardianCompletes = policy.GuardianCompletes };
            }
            records.Add(record);
        }
        return [.. records.Where(r => r.ActingAs == Self)
            .Concat(records.Where(r => r.ActingAs != Self).OrderBy(r => r.ClientName, StringComparer.OrdinalIgnoreCase))];
    }
}
