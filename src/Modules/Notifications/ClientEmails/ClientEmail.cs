using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ClientEmails;

/// <summary>
/// An email to a client about their care at the practice: <see cref="Template"/> names it, <see cref="CausedBy"/> is
/// the event behind it, so a replay gives the same delivery id and the email goes out once.
/// </summary>
internal sealed record ClientEmail(string Template, Guid CausedBy, Guid ClientId)
{
    /// <summary>The template a contact gets instead: it greets the contact and names the client it is about.</summary>
    public string ContactTemplate => $"{Template}-contact";

    /// <summary>
    /// Addressed from this module's copy of the roster (retried until it knows the client), greeting the client by first
    /// name on the practice's behalf, with <paramref name="values"/> for the rest of the template.
    /// </summary>
    public Task<SendEmail> ComposeAsync(
        IQuerySession session, TimeProvider clock, Dictionary<string, string> values, CancellationToken cancellation) =>
        ComposeForReaderAsync(session, clock, _ => values, cancellation);

    /// <summary>As above, with values that need the reader (dates in the client's zone).</summary>
    public async Task<SendEmail> ComposeForReaderAsync(
        IQuerySession session, TimeProvider clock, Func<EmailReader, Dictionary<string, string>> values, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        var reader = await EmailReaders.ForClientAsync(session, client, cancellation);
        return ToClient(client, reader, clock, values(reader));
    }

    /// <summary>
    /// The record's emails: the client's own when <paramref name="tellClient"/> (and the record has an address), and
    /// one to each contact who receives emails and whose login acts for the record, only while the record's portal is
    /// eligible. <paramref name="forContacts"/> replaces values whose words speak to the client ("your insurance").
    /// </summary>
    public Task<OutgoingMessages> ComposeForRecordAsync(IQuerySession session, TimeProvider clock, Dictionary<string, string> values,
        bool tellClient, CancellationToken cancellation, Dictionary<string, string>? forContacts = null) =>
        ComposeForRecordByReaderAsync(session, clock, _ => values, tellClient, cancellation, forContacts);

    /// <summary>As above, with values that need the reader (dates in the practice's zone, its look).</summary>
    public async Task<OutgoingMessages> ComposeForRecordByReaderAsync(IQuerySession session, TimeProvider clock,
        Func<EmailReader, Dictionary<string, string>> values, bool tellClient, CancellationToken cancellation,
        Dictionary<string, string>? forContacts = null, Func<EmailReader, Dictionary<string, string>>? forContactsByReader = null)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        var reader = await EmailReaders.ForClientAsync(session, client, cancellation);
        var messages = new OutgoingMessages();
        if (tellClient && client.Email.Length > 0) messages.Add(ToClient(client, reader, clock, values(reader)));
        if (!client.Eligible) return messages;
        var contacts = await session.LoadAsync<NotificationsContacts>(ClientId, cancellation);
        foreach (var (contact, email) in contacts?.Receiving() ?? [])
        {
            var contactValues = new Dictionary<string, string>(values(reader));
            foreach (var (key, value) in forContacts ?? []) contactValues[key] = value;
            foreach (var (key, value) in forContactsByReader?.Invoke(reader) ?? []) contactValues[key] = value;
            contactValues["firstName"] = FirstNameOf(contact.Name);
            contactValues["clientFirstName"] = client.FirstName;
            contactValues["relationship"] = ContactRelationships.Describe(contact.Relationship);
            messages.Add(new SendEmail(DeterministicId.From(ContactTemplate, CausedBy, contact.ContactId), CausedBy, ContactTemplate, email,
                reader.Dress(contactValues), clock.GetUtcNow()));
        }
        return messages;
    }

    private SendEmail ToClient(NotificationsClient client, EmailReader reader, TimeProvider clock, Dictionary<string, string> values)
    {
        var greeting = new Dictionary<string, string> { ["firstName"] = client.FirstName };
        foreach (var (key, value) in values) greeting[key] = value;
        return new SendEmail(DeterministicId.From(Template, CausedBy), CausedBy, Template, client.Email, reader.Dress(greeting),
            clock.GetUtcNow());
    }

    private static string FirstNameOf(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
}
