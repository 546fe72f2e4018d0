using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Invitations.Roster;
using Wolverine;

namespace Portal.Invitations.Invites;

/// <summary>
/// A provider requested a task of a client: an eligible client without an account gets an invitation, once. While an
/// invitation is pending, further task requests send nothing; after it expired, the next task request sends a new one.
/// </summary>
public static class InviteOnTaskRequestedHandler
{
    public static async Task<OutgoingMessages> Handle(TaskRequested message, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, ILogger<InvitationsModule> logger)
    {
        var client = await session.LoadAsync<InvitationsClient>(message.ClientId);
        var refusal = await InvitationSender.WhyNotAsync(session, client, clock.GetUtcNow(), replacePending: false);
        if (refusal != InvitationRefusal.None)
        {
            logger.LogInformation("No invitation for client {ClientId} after task {TaskId}: {Reason}", message.ClientId, message.TaskId, refusal);
            return [];
        }

        return [await InvitationSender.IssueAsync(session, client!, clock, protection, configuration)];
    }
}
