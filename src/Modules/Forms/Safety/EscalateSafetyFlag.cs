using Portal.Contracts;
using Portal.BuildingBlocks.Concurrency;

namespace Portal.Forms.Safety;

/// <summary>
/// The durable timer of one flag, scheduled when it is raised for <see cref="DueAt"/> (raised + the configured
/// <see cref="SafetyFlagSettings.EscalateAfter"/>). Kept by Wolverine in PostgreSQL: it survives a restart, and with
/// several hosts only one runs it.
/// </summary>
public sealed record EscalateSafetyFlag(Guid FlagId, DateTimeOffset DueAt);

/// <summary>
/// State decides: a timer that fires early (Wolverine keeps the real time, the portal its own clock) waits again; a flag
/// acknowledged or escalated already does nothing; otherwise the flag is marked escalated and
/// <see cref="SafetyFlagEscalated"/> asks Notifications to email the provider again. A replay finds it marked.
/// </summary>
public static class EscalateSafetyFlagHandler
{
    public static async Task<OutgoingMessages> Handle(
        EscalateSafetyFlag timer, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < timer.DueAt) return [timer.ScheduledAt(timer.DueAt)];

        var flag = await EditLock.LoadLockedAsync<SafetyFlag>(session, timer.FlagId, cancellation);
        if (flag is not { IsOpen: true, EscalatedAt: null }) return [];
        flag.EscalatedAt = now;
        session.Store(flag);
        return [new SafetyFlagEscalated(
            Guid.CreateVersion7(), flag.Id, flag.ClientId, flag.ProviderId, flag.RaisedAt, now)];
    }
}
