using Portal.BuildingBlocks.Concurrency;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Invites;

/// <summary>
/// A provider requested tasks of clients: an eligible client without an account gets an invitation, once. While an
/// invitation is pending, further task requests send nothing; after it expired, the next task request sends a new one.
/// Intake publishes the tasks one transaction opened together (<see cref="TasksRequested"/>: a workflow assigned to
/// 500 clients is one message), handled here in one transaction with a few queries. The clients are locked first (transaction-scoped advisory
/// locks, in key order) so a client's tasks handled in two messages at once, on two hosts, or a provider's resend at
/// the same moment never issue two invitations; a replayed message finds the invitation pending and sends nothing.
/// The invitations a transaction issued go out as one email each and one <see cref="InvitationsIssued"/> for all; a
/// client with an active account is told of the batch instead (<see cref="TellActiveClientsOfTasks"/>).
/// </summary>
public static class InviteOnTaskRequestedHandler
{
    public static Task<OutgoingMessages> Handle(TasksRequested message, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation) =>
        InviteAsync(message, session, clock, protection, configuration, logger, cancellation);

    private static async Task<OutgoingMessages> InviteAsync(TasksRequested batch, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger, CancellationToken cancellation)
    {
        var clientIds = batch.Tasks.Select(m => m.ClientId).Distinct().Order().ToArray();
        if (clientIds.Length == 0) return [];

        await EditLock.LockManyAsync<InvitationsClient>(session, clientIds, cancellation);
        var now = clock.GetUtcNow();
        var clients = await session.LoadManyAsync<InvitationsClient>(cancellation, clientIds);
        foreach (var clientId in clientIds.Except(clients.Select(c => c.Id)))
        {
            // The roster's message about this client has not arrived yet: decided when it does, under the same lock.
            logger.LogInformation("Invitation for client {ClientId} waits for the roster copy", clientId);
            session.Store(new InvitationAwaitingRoster { Id = clientId, RequestedAt = now });
        }

        var issued = new IssuedInvitations();
        await InvitationSender.InviteWhereDueAsync(session, clients, now, new Inviting(protection, configuration, logger, issued), cancellation);
        // Clients with an active account get no invitation: they are told of the batch instead (one email per batch).
        var messages = issued.ToMessages();
        messages.AddRange(await TellActiveClientsOfTasks.NoticesAsync(session, batch, clients, cancellation));
        return messages;
    }
}
