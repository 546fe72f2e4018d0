using Portal.BuildingBlocks.Concurrency;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.Contacts;

/// <summary>This module's copy of a practice's rule for minors (under the practice's id); a practice without one has the defaults.</summary>
public sealed class InvitationsMinorsPolicy
{
    public const int DefaultOwnLoginFromAge = 13;
    public static readonly IReadOnlyList<TaskKind> DefaultGuardianCompletes = [TaskKind.AddInsurance, TaskKind.EnrollInAutopay, TaskKind.SignDocument];

    public Guid Id { get; set; }
    public int OwnLoginFromAge { get; set; } = DefaultOwnLoginFromAge;
    public List<TaskKind> GuardianCompletes { get; set; } = [.. DefaultGuardianCompletes];
    public long Version { get; set; }

    /// <summary>The day a client born on <paramref name="born"/> gets their own login.</summary>
    public DateOnly OwnLoginFrom(DateOnly born) => born.AddYears(OwnLoginFromAge);

    public static async Task<InvitationsMinorsPolicy> ForAsync(IQuerySession session, Guid practiceId, CancellationToken cancellation) =>
        await session.LoadAsync<InvitationsMinorsPolicy>(practiceId, cancellation) ?? new InvitationsMinorsPolicy { Id = practiceId };

    /// <summary>A minor under the practice's age has no login of their own: a parent or guardian acts for them.</summary>
    public static async Task<bool> UnderOwnLoginAgeAsync(IQuerySession session, InvitationsClient client, DateTimeOffset now,
        CancellationToken cancellation = default) =>
        (await ForAsync(session, client.PracticeId, cancellation)).OwnLoginFrom(client.DateOfBirth) > DateOnly.FromDateTime(now.UtcDateTime);
}

/// <summary>
/// Keeps the copy current. The cookies of contact logins in the practice carry what the old rule allowed, so their
/// sessions end: the next sign-in gets the new rule.
/// </summary>
public static class KeepMinorsPolicyHandler
{
    public static async Task Handle(PracticeMinorsPolicyChanged message, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var copy = await EditLock.LoadLockedAsync<InvitationsMinorsPolicy>(session, message.PracticeId, cancellation)
                   ?? new InvitationsMinorsPolicy { Id = message.PracticeId };
        if (message.Version <= copy.Version) return;
        copy.OwnLoginFromAge = message.OwnLoginFromAge;
        copy.GuardianCompletes = [.. message.GuardianCompletes];
        copy.Version = message.Version;
        session.Store(copy);

        var contacts = (await session.Query<Account>()
                .Where(a => a.Role == PortalRoles.Client && a.PracticeId == message.PracticeId)
                .ToListAsync(cancellation))
            .Where(a => a.ActsFor.Count > 0)
            .Select(a => a.Id)
            .ToList();
        if (contacts.Count == 0) return;
        var now = clock.GetUtcNow();
        foreach (var record in await session.Query<SignInSession>()
                     .Where(s => contacts.Contains(s.UserId) && s.EndedAt == null).ToListAsync(cancellation))
        {
            record.End(now, KeepContactsHandler.EndReason);
            session.Store(record);
        }
    }
}
