using Portal.Invitations.Roster;

namespace Portal.Invitations.BreakGlass;

/// <summary>
/// One support user's break-glass grant to one client's health information: opened with a reason, open until
/// <see cref="ExpiresAt"/> (by the portal clock) or until ended early. Kept for the record once it has ended.
/// </summary>
public sealed class HealthAccessGrant
{
    public Guid Id { get; set; }
    public Guid SupportUserId { get; set; }
    public string SupportName { get; set; } = string.Empty;
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public string Reason { get; set; } = string.Empty;
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    public bool IsOpenAt(DateTimeOffset now) => EndedAt is null && ExpiresAt > now;

    public ActiveBreakGlass ToActive() => new(Id, Reason, OpenedAt, ExpiresAt);
}

/// <summary>How long a grant lasts: <c>Portal:BreakGlass:Minutes</c>, 30 unless set.</summary>
internal static class GrantLength
{
    public const int DefaultMinutes = 30;

    public static TimeSpan From(IConfiguration configuration) =>
        TimeSpan.FromMinutes(Math.Clamp(configuration.GetValue("Portal:BreakGlass:Minutes", DefaultMinutes), 1, 24 * 60));
}

/// <summary>The grants as the modules holding health information check them on each read.</summary>
internal sealed class BreakGlassGrants(IDocumentStore store, TimeProvider clock) : IBreakGlassGrants
{
    public async Task<ActiveBreakGlass?> ActiveAsync(Guid supportUserId, Guid clientId, CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        return (await OpenGrantAsync(query, supportUserId, clientId, clock.GetUtcNow(), cancellationToken))?.ToActive();
    }

    /// <summary>The newest open grant of this support user to this client, if any.</summary>
    public static async Task<HealthAccessGrant?> OpenGrantAsync(IQuerySession session, Guid supportUserId, Guid clientId,
        DateTimeOffset now, CancellationToken cancellation) =>
        await session.Query<HealthAccessGrant>()
            .Where(g => g.SupportUserId == supportUserId && g.ClientId == clientId && g.EndedAt == null && g.ExpiresAt > now)
            .OrderByDescending(g => g.ExpiresAt)
            .FirstOrDefaultAsync(cancellation);
}
