using Marten.Linq.MatchesSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>
/// Members stored before staff roles existed have no role in their document (it reads back as the default, Clinician,
/// while the accounts module's copy has none at all, so every console page refused them). At each start this gives
/// them one: per practice the earliest member becomes Owner unless the practice has an active owner already, the rest
/// Clinician. Each change is audited and published, so every module's copy (and the login's role) follows.
/// A member with a stored role is never touched: a second start, or a second host, finds nothing to do.
/// </summary>
public sealed record AssignPreRolesMemberRoles;

/// <summary>Runs the upgrade once the host (and so Wolverine) has started, before the first request is served.</summary>
internal sealed class PreRolesMemberRolesAtStart(IServiceProvider services) : IHostedLifecycleService
{
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new AssignPreRolesMemberRoles(), cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AssignPreRolesMemberRolesHandler
{
    /// <summary>Who the audit names: the portal upgrading its own records, not a person.</summary>
    private static readonly CurrentUser System = new("system", Guid.Empty, "Portal", null, null, null);

    /// <summary>The members whose document was written without a role (what <see cref="RosterProvider.Role"/> cannot tell).</summary>
    private const string WithoutRole = "d.data ->> 'Role' is null";

    public static async Task<OutgoingMessages> Handle(AssignPreRolesMemberRoles _, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        var practiceIds = await session.Query<RosterProvider>().Where(p => p.MatchesSql(WithoutRole))
            .Select(p => p.PracticeId).Distinct().ToListAsync(cancellation);
        var messages = new OutgoingMessages();
        if (practiceIds.Count == 0) return messages;

        // The practices' member locks (an owner's change, another host's upgrade) in one order, so two never deadlock;
        // what is read after them is what the previous holder committed.
        foreach (var practiceId in practiceIds.Order()) await EditLock.LockAsync<RosterPractice>(session, practiceId, cancellation);

        foreach (var practiceId in practiceIds)
        {
            var withoutRole = (await session.Query<RosterProvider>()
                .Where(p => p.PracticeId == practiceId && p.MatchesSql(WithoutRole))
                .Select(p => p.Id).ToListAsync(cancellation)).ToHashSet();
            if (withoutRole.Count == 0) continue;
            var members = await session.Query<RosterProvider>().Where(p => p.PracticeId == practiceId).ToListAsync(cancellation);
            var hasOwner = members.Any(m => !withoutRole.Contains(m.Id) && m.Role == StaffRole.Owner && m.Active);
            // Ids are version 7 GUIDs, ordered by creation: the first is the member made with the practice.
            foreach (var member in members.Where(m => withoutRole.Contains(m.Id)).OrderBy(m => m.Id))
            {
                member.Role = hasOwner ? StaffRole.Clinician : StaffRole.Owner;
                hasOwner = true;
                session.Store(member);
                Audit.Record(session, null, clock, "member.role-assigned", nameof(RosterProvider), member.Id.ToString(),
                    outcome: $"none->{member.Role}", actor: System);
                messages.Add(member.Changed());
            }
        }
        return messages;
    }
}
