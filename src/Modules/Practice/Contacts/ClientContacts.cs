using Portal.Practice.Roster;

namespace Portal.Practice.Contacts;

/// <summary>
/// The people who may act for one client record (kept beside the roster's client, under the client's id). Each change
/// grows <see cref="Version"/> and is published as <see cref="ClientContactsChanged"/>.
/// </summary>
public sealed class ClientContacts
{
    /// <summary>The client's id.</summary>
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public List<ClientContact> Contacts { get; set; } = [];
    public long Version { get; set; }

    /// <summary>A new contact of the record (the add-contact page's, or a guardian given with a new client).</summary>
    public ClientContact Add(string name, string email, ContactRelationship relationship, bool completesTasks, bool seesResults,
        bool receivesEmails)
    {
        var contact = new ClientContact
        {
            Id = Guid.CreateVersion7(),
            Name = name.Trim(),
            Email = email,
            Relationship = relationship,
            CompletesTasks = completesTasks,
            SeesResults = seesResults,
            ReceivesEmails = receivesEmails,
        };
        Contacts.Add(contact);
        return contact;
    }

    public ClientContactsChanged Changed()
    {
        Version++;
        return new ClientContactsChanged(Id, PracticeId, [.. Contacts.Select(c => c.Facts())], Version);
    }
}

public sealed class ClientContact
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public ContactRelationship Relationship { get; set; }
    public bool CompletesTasks { get; set; }
    public bool SeesResults { get; set; }
    public bool ReceivesEmails { get; set; }

    public ClientContactFacts Facts() =>
        new(Id, Name, Email, Relationship, CompletesTasks, SeesResults, ReceivesEmails);
}

/// <summary>A contact as the console and the API show it.</summary>
internal sealed record ContactView(
    Guid ContactId, string Name, string Email, ContactRelationship Relationship, bool CompletesTasks, bool SeesResults,
    bool ReceivesEmails, bool IsClientOfPractice);

/// <summary>What a contact may be given: the fields the add and edit requests share, and their rules.</summary>
internal interface IContactFields
{
    string Name { get; }
    string Email { get; }
    ContactRelationship Relationship { get; }
}

internal static class ContactRules
{
    public static void Apply<T>(AbstractValidator<T> validator) where T : IContactFields
    {
        validator.RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        validator.RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        validator.RuleFor(r => r.Relationship).IsInEnum();
    }

    /// <summary>The client record and its contacts, when <paramref name="user"/> may see the client (else null: 404).</summary>
    public static async Task<(RosterClient Client, ClientContacts Contacts)?> LoadAsync(
        IDocumentSession session, CurrentUser user, Guid clientId, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<RosterClient>(clientId, cancellation);
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return null;
        var contacts = await session.LoadAsync<ClientContacts>(clientId, cancellation)
                       ?? new ClientContacts { Id = clientId, PracticeId = client.PracticeId };
        return (client, contacts);
    }

    /// <summary>A contact's address may not be the client's own login: that person is the client, not a contact.</summary>
    public static Refusal? Check(RosterClient client, ClientContacts contacts, string email, Guid? exceptContact)
    {
        if (string.Equals(client.Email, email, StringComparison.OrdinalIgnoreCase))
            return Refusal.Invalid("email", "This is the client's own email. A contact is another person.");
        if (contacts.Contacts.Any(c => c.Id != exceptContact && c.Email == email))
            return Refusal.Conflict("This person is already a contact of this client.");
        return null;
    }

    public static async Task<IReadOnlyList<ContactView>> ViewsAsync(IQuerySession session, RosterClient client, ClientContacts contacts,
        CancellationToken cancellation)
    {
        var emails = contacts.Contacts.Select(c => c.Email).ToList();
        // A contact who is a client of the same practice is one person with their own record (a parent, a partner).
        var clients = emails.Count == 0
            ? []
            : await session.Query<RosterClient>()
                .Where(c => c.PracticeId == client.PracticeId && emails.Contains(c.Email))
                .Select(c => c.Email).ToListAsync(cancellation);
        return [.. contacts.Contacts.Select(c => new ContactView(c.Id, c.Name, c.Email, c.Relationship, c.CompletesTasks,
            c.SeesResults, c.ReceivesEmails, clients.Contains(c.Email)))];
    }
}
