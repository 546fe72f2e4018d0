namespace Portal.Notifications.Delivery;

public enum DeliveryStatus
{
    /// <summary>Accepted for sending; no attempt finished yet.</summary>
    Pending,

    /// <summary>The last attempt failed for a reason that may pass; another attempt is scheduled.</summary>
    Retrying,

    /// <summary>The SMTP server accepted the message. A delivery reaches this state once.</summary>
    Sent,

    /// <summary>Given up: refused for good or out of retries; the message is in the dead letter queue.</summary>
    Failed,
}

/// <summary>
/// One line of the delivery log: one email to one recipient, keyed by an id derived from the event that caused it,
/// so the same event can never produce a second line. Holds no body and no link (bodies may carry secret links).
/// </summary>
public sealed class DeliveryRecord
{
    public Guid Id { get; set; }
    public string MessageId { get; set; } = string.Empty;
    public Guid CausedBy { get; set; }
    public string Template { get; set; } = string.Empty;
    public string To { get; set; } = string.Empty;
    public string Subject { get; set; } = string.Empty;
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}
