using Portal.Contracts;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Invites;

/// <summary>
/// The other half of a task request: a client whose portal is eligible and whose account is active gets no
/// invitation, so they are told of the batch instead (<see cref="ClientTasksRequested"/>, emailed by Notifications once
/// per batch and client). Decided here, in the invitation's transaction and under the same client locks, because this
/// module owns the accounts: a client gets the invitation or this email, never both, never neither because two modules'
/// copies disagreed for a moment. An ineligible client gets neither.
/// A client whose roster copy has not arrived is left out: an active account implies an earlier invitation, which
/// needed the copy, so such a client has no account and is invited when the copy arrives
/// (<see cref="InvitationAwaitingRoster"/>). A record a contact acts for is told as well, for the contacts' sake.
/// </summary>
internal static class TellActiveClientsOfTasks
{
    public static async Task<IReadOnlyList<ClientTasksRequested>> NoticesAsync(IQuerySession session, TasksRequested batch,
        IReadOnlyCollection<InvitationsClient> clients, CancellationToken cancellation)
    {
        var eligible = clients.Where(c => c.Eligible).Select(c => c.Id).ToArray();
        if (eligible.Length == 0) return [];
        var active = await session.Query<Account>()
            .Where(a => a.ClientId != null && eligible.Contains(a.ClientId.Value) && a.Active)
            .Select(a => a.ClientId!.Value)
            .ToListAsync(cancellation);
        var told = active.ToHashSet();
        // A record a contact's login acts for is told too, even without an account of the client's own (a young child):
        // Notifications emails the contacts who receive emails.
        var actedFor = (await session.Query<Account>()
                .Where(a => a.Active && a.ActsFor.Any(f => eligible.Contains(f.ClientId)))
                .ToListAsync(cancellation))
            .SelectMany(a => a.ActsFor.Select(f => f.ClientId))
            .ToHashSet();

        return batch.Tasks
            .Where(t => told.Contains(t.ClientId) || actedFor.Contains(t.ClientId))
            .GroupBy(t => t.ClientId)
            .Select(tasks => new ClientTasksRequested(batch.BatchId, tasks.Key, tasks.First().ProviderId,
                [.. tasks.Select(t => t.Kind)], tasks.Max(t => t.RequestedAt)) { TellClient = told.Contains(tasks.Key) })
            .ToList();
    }
}
