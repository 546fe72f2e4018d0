namespace Portal.Contracts;

/// <summary>How a contact stands to the client whose record they act for (by name in JSON: "Parent").</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ContactRelationship>))]
public enum ContactRelationship
{
    Parent,
    LegalGuardian,
    Partner,
    Other,
}

/// <summary>
/// One person who may act for a client record: a parent or guardian of a minor, a partner in couples therapy. The
/// email is the person: the same address on several records (or a client's own) is one login acting for each.
/// </summary>
public sealed record ClientContactFacts(
    Guid ContactId,
    string Name,
    string Email,
    ContactRelationship Relationship,
    bool CompletesTasks,
    bool SeesResults,
    bool ReceivesEmails);

/// <summary>
/// The roster's current list of a client's contacts, published after every change to it; <see cref="Version"/> only
/// grows, so a stale copy is ignored.
/// </summary>
public sealed record ClientContactsChanged(Guid ClientId, Guid PracticeId, IReadOnlyList<ClientContactFacts> Contacts, long Version);

/// <summary>Words for a relationship in sentences ("Jane Doe, parent of Sam Doe").</summary>
public static class ContactRelationships
{
    public static string Describe(ContactRelationship relationship) => relationship switch
    {
        ContactRelationship.Parent => "parent",
        ContactRelationship.LegalGuardian => "legal guardian",
        ContactRelationship.Partner => "partner",
        _ => "contact",
    };
}

/// <summary>
/// A practice's rule for minors (owner's setting): from <see cref="OwnLoginFromAge"/> a minor gets their own login, and
/// a parent or legal guardian acting for a minor of that age or older still completes only the task kinds in
/// <see cref="GuardianCompletes"/> (the others are the minor's). <see cref="Version"/> only grows.
/// </summary>
public sealed record PracticeMinorsPolicyChanged(Guid PracticeId, int OwnLoginFromAge, IReadOnlyList<TaskKind> GuardianCompletes, long Version);

/// <summary>
/// A login started or stopped acting for a client as one of its contacts, or its email changed (Invitations owns the
/// logins): the address client emails about the record go to when the contact "receives emails". <see cref="At"/>
/// orders the facts of one contact; an older one is ignored.
/// </summary>
public sealed record ContactLoginChanged(Guid ClientId, Guid ContactId, Guid AccountId, string Email, bool Active, DateTimeOffset At);
