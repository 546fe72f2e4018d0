namespace Portal.Notifications.Roster;

/// <summary>Finds roster facts for addressing an email.</summary>
internal static class Recipients
{
    public const string DefaultPracticeName = "the client portal";

    public static async Task<NotificationsClient> ClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        await session.LoadAsync<NotificationsClient>(clientId, cancellation) ?? throw new RosterNotYetKnownException("client", clientId);

    public static async Task<NotificationsProvider> ProviderAsync(IQuerySession session, Guid providerId, CancellationToken cancellation) =>
        await session.LoadAsync<NotificationsProvider>(providerId, cancellation) ?? throw new RosterNotYetKnownException("provider", providerId);
}
