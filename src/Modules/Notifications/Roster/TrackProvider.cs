using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Messaging;

namespace Portal.Notifications.Roster;

/// <summary>This module's copy of a provider's roster facts: whom to email about their clients, and their practice.</summary>
public sealed class NotificationsProvider
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public bool PortalEnabled { get; set; }
    public StaffRole Role { get; set; } = StaffRole.Clinician;
    public bool Active { get; set; } = true;
    public long Version { get; set; }

    /// <summary>An active owner or clinician: the only members told about a client's doings (never front desk, billing).</summary>
    public bool IsClinical => Active && Role is StaffRole.Owner or StaffRole.Clinician;

    public bool Apply(ProviderRosterChanged change)
    {
        if (change.Version < Version) return false;
        Id = change.ProviderId;
        PracticeId = change.PracticeId;
        PracticeName = change.PracticeName;
        Name = change.Name;
        Email = change.Email;
        PortalEnabled = change.PortalEnabled;
        Role = change.Role;
        Active = change.Active;
        Version = change.Version;
        return true;
    }
}

/// <summary>As <see cref="TrackClientHandler"/>, for providers.</summary>
public sealed class TrackProviderHandler
{
    public static async Task Handle(ProviderRosterChanged change, IDocumentSession session, IMessageBus bus, CancellationToken cancellation)
    {
        var card = await EditLock.LoadLockedAsync<NotificationsProvider>(session, change.ProviderId, cancellation) ?? new NotificationsProvider();
        if (card.Apply(change)) session.Store(card);
        await AwaitingCopy.ReleaseAsync<NotificationAwaitingRoster>(session, bus, change.ProviderId, cancellation);
    }
}
