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
    public async Task<SendEmail> ComposeAsync(
        IQuerySession session, TimeProvider clock, Dictionary<string, string> values, CancellationToken cancellation)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        return ToClient(client, clock, values);
    }

    /// <summary>
    /// The record's emails: the client's own when <paramref name="tellClient"/> (and the record has an address), and
    /// one to each contact who receives emails and whose login acts for the record, only while the record's portal is
    /// eligible. <paramref name="forContacts"/> replaces values whose words speak to the client ("your insurance").
    /// </summary>
    public async Task<OutgoingMessages> ComposeForRecordAsync(IQuerySession session, TimeProvider clock, Dictionary<string, string> values,
        bool tellClient, CancellationToken cancellation, Dictionary<string, string>? forContacts = null)
    {
        var client = await Recipients.ClientAsync(session, ClientId, cancellation);
        var messages = new OutgoingMessages();
        if (tellClient && client.Email.Length > 0) messages.Add(ToClient(client, clock, values));
        if (!client.Eligible) return messages;
        var contacts = await session.LoadAsync<NotificationsContacts>(ClientId, cancellation);
        foreach (var (contact, email) in contacts?.Receiving() ?? [])
        {
            var contactValues = new Dictionary<string, string>(values);
            foreach (var (key, value) in forContacts ?? []) contactValues[key] = value;
            contactValues["firstName"] = FirstNameOf(contact.Name);
            contactValues["clientFirstName"] = client.FirstName;
            contactValues["relationship"] = ContactRelationships.Describe(contact.Relationship);
            contactValues["practiceName"] = client.PracticeName;
            messages.Add(new SendEmail(DeterministicId.From(ContactTemplate, CausedBy, contact.ContactId), CausedBy, ContactTemplate, email,
                contactValues, clock.GetUtcNow()));
        }
        return messages;
    }

    private SendEmail ToClient(NotificationsClient client, TimeProvider clock, Dictionary<string, string> values)
    {
        var greeting = new Dictionary<string, string> { ["firstName"] = client.FirstName, ["practiceName"] = client.PracticeName };
        foreach (var (key, value) in values) greeting[key] = value;
        return new SendEmail(DeterministicId.From(Template, CausedBy), CausedBy, Template, client.Email, greeting, clock.GetUtcNow());
    }

    private static string FirstNameOf(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;
}
