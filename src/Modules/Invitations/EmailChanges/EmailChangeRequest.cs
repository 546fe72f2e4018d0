namespace Portal.Invitations.EmailChanges;

public enum EmailChangeStatus
{
    AwaitingProvider,
    Rejected,
    AwaitingConfirmation,
    Applied,
}

/// <summary>
/// A client's request to change their login email. Their provider approves or rejects it; after approval the new
/// address confirms by an emailed link (hash only, 24 hours), or support carries the change out. Every step is audited.
/// </summary>
public sealed class EmailChangeRequest
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public Guid AccountId { get; set; }
    public string OldEmail { get; set; } = string.Empty;
    public string NewEmail { get; set; } = string.Empty;
    public EmailChangeStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public string? ConfirmationTokenHash { get; set; }
    public DateTimeOffset? ConfirmationExpiresAt { get; set; }
    public DateTimeOffset? AppliedAt { get; set; }
}
