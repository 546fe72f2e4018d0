namespace Portal.Notifications.Roster;

/// <summary>Finds roster facts for addressing an email.</summary>
internal static class Recipients
{
    public const string DefaultPracticeName = "Portal";

    public static async Task<NotificationsClient> ClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        await session.LoadAsync<NotificationsClient>(clientId, cancellation) ?? throw new RosterNotYetKnownException("client", clientId);

    public static async Task<NotificationsProvider> ProviderAsync(IQuerySession session, Guid providerId, CancellationToken cancellation) =>
        await session.LoadAsync<NotificationsProvider>(providerId, cancellation) ?? throw new RosterNotYetKnownException("provider", providerId);

    /// <summary>The practice an account email speaks for, found from the address (client first, then provider).</summary>
    public static async Task<string> PracticeNameForAsync(IQuerySession session, string email, CancellationToken cancellation)
    {
        var client = await session.Query<NotificationsClient>()
            .Where(c => c.Email.Equals(email, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefaultAsync(cancellation);
        if (client is { PracticeName.Length: > 0 }) return client.PracticeName;

        var provider = await session.Query<NotificationsProvider>()
            .Where(p => p.Email.Equals(email, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefaultAsync(cancellation);
        return provider is { PracticeName.Length: > 0 } ? provider.PracticeName : DefaultPracticeName;
    }
}
