namespace Portal.Invitations.Invites;

/// <summary>
/// One emailed activation link for a client record: the client's own (<see cref="Invitation"/>) or a contact's
/// (<see cref="Contacts.ContactInvitation"/>), under one rule. Only the SHA-256 hash of its token is stored. It is
/// pending until it is used, replaced by a newer link (resend), blocked after too many dates of birth that did not
/// match (only the practice's new invitation replaces it then), or it expires 5 days after it was sent.
/// Issued only by <see cref="InvitationSender.IssueLink{T}"/>.
/// </summary>
public abstract class ActivationLink
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public string Email { get; set; } = string.Empty;
    public string TokenHash { get; set; } = string.Empty;
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? ReplacedAt { get; set; }
    public int FailedChecks { get; set; }
    public DateTimeOffset? BlockedAt { get; set; }

    public bool IsPending(DateTimeOffset now) => UsedAt is null && ReplacedAt is null && BlockedAt is null && now < ExpiresAt;

    /// <summary>Closed after wrong dates of birth and not yet replaced by the practice's new invitation.</summary>
    public bool IsBlocked => BlockedAt is not null && ReplacedAt is null && UsedAt is null;
}

/// <summary>The client's own activation link (see <see cref="ActivationLink"/>).</summary>
public sealed class Invitation : ActivationLink;
