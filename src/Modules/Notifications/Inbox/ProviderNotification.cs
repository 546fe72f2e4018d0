namespace Portal.Notifications.Inbox;

/// <summary>What a provider can be told about; each kind has its own delivery preference.</summary>
public enum NotificationKind
{
    Insurance,
    Autopay,
    ConsentForms,
    IntakeForms,
    Assessments,
    AssignmentCompleted,
    EmailChangeRequest,

    /// <summary>Urgent: always emailed at once, whatever the preferences.</summary>
    SafetyFlag,
}

/// <summary>
/// One entry of a provider's in-app notification list. Its id is derived from the causing event, so a replayed
/// event updates the same entry. Its text names the client and the action, never a health detail.
/// </summary>
public sealed class ProviderNotification
{
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public Guid ClientId { get; set; }
    public NotificationKind Kind { get; set; }
    public string Text { get; set; } = string.Empty;
    public string Link { get; set; } = string.Empty;
    public bool Urgent { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>Waiting for the provider's next daily digest email.</summary>
    public bool AwaitingDigest { get; set; }

    /// <summary>The digest email that carried it, once sent.</summary>
    public Guid? DigestId { get; set; }
}
