namespace Portal.Forms.Documents;

/// <summary>
/// The signature record: who signed which version of which document, the SHA-256 of exactly the HTML they were shown,
/// the name they typed, when, from where (IP, user agent), and the full consent text they agreed to. The legal name
/// the roster had at signing is kept beside the typed one, and <see cref="SignedAsDifferentName"/> says the client
/// confirmed signing as a name that is not it (null and false in records from before the comparison). When a contact
/// signs for the client, <see cref="SignedFor"/> says for whom and as what ("Jane Doe, parent of Sam Doe") and the legal
/// name compared is the contact's. <see cref="Language"/> is the language of the text signed ("es" for a practice's
/// Spanish version; null in records from before translations, which are English). It is the only event of its own stream, appended once; nothing in the portal appends to or changes it afterwards.
/// </summary>
public sealed record DocumentSigned(
    Guid SignatureId,
    Guid DocumentId,
    int DocumentVersion,
    string DocumentTitle,
    string ContentHash,
    Guid ClientId,
    Guid ProviderId,
    Guid PracticeId,
    Guid SignedByUserId,
    string SignedName,
    DateTimeOffset SignedAt,
    string? IpAddress,
    string? UserAgent,
    string ConsentVersion,
    string ConsentText,
    string? LegalName = null,
    bool SignedAsDifferentName = false,
    string? SignedFor = null,
    string? Language = null);
