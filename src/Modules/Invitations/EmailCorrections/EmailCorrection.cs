namespace Portal.Invitations.EmailCorrections;

public enum EmailCorrectionStatus
{
    Waiting,
    Applied,
    Declined,
}

/// <summary>
/// A practice's request to correct a client's login email (the source document's path: the clinician approves the new
/// address, support applies it). Unlike <see cref="EmailChanges.EmailChangeRequest"/> it starts with the clinician and
/// works for a client without an account too, whose roster email and open invitation then move to the new address.
/// </summary>
public sealed class EmailCorrection
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid PracticeId { get; set; }
    public Guid ProviderId { get; set; }
    /// <summary>The account whose login email changes; null when the client had none when support applied it.</summary>
    public Guid? AccountId { get; set; }
    public string OldEmail { get; set; } = string.Empty;
    public string NewEmail { get; set; } = string.Empty;
    /// <summary>The clinician's words for support (why the address is wrong); never emailed, never in the audit line.</summary>
    public string Reason { get; set; } = string.Empty;
    public EmailCorrectionStatus Status { get; set; }
    public Guid RequestedBy { get; set; }
    public string RequestedByName { get; set; } = string.Empty;
    public DateTimeOffset RequestedAt { get; set; }
    public Guid? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>Support's note with the decision (required when declining).</summary>
    public string? Note { get; set; }
}

/// <summary>A correction as the pages and the API show it.</summary>
public sealed record EmailCorrectionView(Guid CorrectionId, Guid ClientId, string ClientName, string OldEmail, string NewEmail,
    string Reason, string Status, string RequestedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt, string? Note)
{
    internal static EmailCorrectionView From(EmailCorrection c, string clientName) => new(c.Id, c.ClientId, clientName, c.OldEmail,
        c.NewEmail, c.Reason, c.Status.ToString(), c.RequestedByName, c.RequestedAt, c.DecidedAt, c.Note);
}

internal static class EmailMask
{
    /// <summary>An address as the audit line and the old address's email show it: first letter and domain ("c***@x.test").</summary>
    public static string Of(string email)
    {
        var at = email.IndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
