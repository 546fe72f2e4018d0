using Marten;
using Portal.BuildingBlocks.Concurrency;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;
using Portal.Contracts;
using Portal.Invitations.Roster;
using Wolverine;

namespace Portal.Invitations.Invites;

/// <summary>
/// A provider requested tasks of clients: an eligible client without an account gets an invitation, once. While an
/// invitation is pending, further task requests send nothing; after it expired, the next task request sends a new one.
/// Intake publishes the tasks one transaction opened together (<see cref="TasksRequested"/>: a workflow assigned to
/// 500 clients is one message), handled here in one transaction with a few queries. The clients are locked first (transaction-scoped advisory
/// locks, in key order) so a client's tasks handled in two messages at once, on two hosts, or a provider's resend at
/// the same moment never issue two invitations; a replayed message finds the invitation pending and sends nothing.
/// The invitations a transaction issued go out as one email each and one <see cref="InvitationsIssued"/> for all.
/// </summary>
public static class InviteOnTaskRequestedHandler
{
    public static Task<OutgoingMessages> Handle(TasksRequested message, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation) =>
        InviteAsync(message.Tasks, session, clock, protection, configuration, logger, cancellation);

    private static async Task<OutgoingMessages> InviteAsync(IReadOnlyList<TaskRequested> batch, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation)
    {
        var issued = new IssuedInvitations();
        var clientIds = batch.Select(m => m.ClientId).Distinct().Order().ToArray();
        if (clientIds.Length == 0) return [];

        await EditLock.LockManyAsync<InvitationsClient>(session, clientIds, cancellation);
        var now = clock.GetUtcNow();
        var clients = (await session.LoadManyAsync<InvitationsClient>(cancellation, clientIds)).ToDictionary(c => c.Id);
        var active = (await session.Query<Account>()
                .Where(a => a.ClientId != null && clientIds.Contains(a.ClientId.Value) && a.Active)
                .Select(a => a.ClientId!.Value)
                .ToListAsync(cancellation))
            .ToHashSet();
        var open = (await session.Query<Invitation>()
                .Where(i => clientIds.Contains(i.ClientId) && i.UsedAt == null && i.ReplacedAt == null)
                .ToListAsync(cancellation))
            .ToLookup(i => i.ClientId);

        foreach (var clientId in clientIds)
        {
            var client = clients.GetValueOrDefault(clientId);
            var refusal = client is null ? InvitationRefusal.NoSuchClient
                : !client.Eligible ? InvitationRefusal.NotEligible
                : active.Contains(clientId) ? InvitationRefusal.AlreadyActive
                : open[clientId].Any(i => i.IsPending(now)) ? InvitationRefusal.AlreadyPending
                : InvitationRefusal.None;
            if (refusal != InvitationRefusal.None)
            {
                logger.LogInformation("No invitation for client {ClientId} after {Tasks} task request(s): {Reason}",
                    clientId, batch.Count(m => m.ClientId == clientId), refusal);
                continue;
            }

            InvitationSender.Issue(session, client!, open[clientId], now, protection, configuration, issued);
        }

        return issued.ToMessages();
    }
}
