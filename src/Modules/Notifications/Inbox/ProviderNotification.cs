using Marten.Schema;
using Weasel.Postgresql.Tables;

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

    /// <summary>Support opened the client's health information (break-glass): always emailed at once.</summary>
    HealthAccess,

    /// <summary>A client cannot get into the portal without the provider (activation blocked by wrong dates of birth).</summary>
    PortalAccess,

    /// <summary>A client was transferred to or from the member as primary clinician: always emailed at once.</summary>
    CareTeam,
}

/// <summary>
/// One entry of a provider's in-app notification list. Its id is derived from the causing event, so a replayed
/// event updates the same entry. Its text names the client and the action, never a health detail.
/// </summary>
[ProviderNotificationIndexes]
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

/// <summary>
/// The provider's list, newest first, and the unread count, both read by provider: one index on two duplicated
/// columns. A notification is written for every task a client completes, and the two expression indexes this replaced
/// each took their value out of the JSON on every insert. The columns allow nulls only so that Marten can add them to
/// an existing table, which it fills from the documents as it adds them; every notification has both.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ProviderNotificationIndexesAttribute : MartenAttribute
{
    public override void Modify(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(ProviderNotification.ProviderId));
        mapping.DuplicateField(nameof(ProviderNotification.At));
        mapping.Indexes.Add(new DocumentIndex(mapping, "provider_id", "at")
        {
            Name = "mt_doc_providernotification_idx_by_provider", SortOrder = SortOrder.Desc,
        });
    }
}
