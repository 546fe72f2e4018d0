using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>Every task of an assignment is done: the provider is told the client finished the workflow.</summary>
public sealed class AssignmentCompletedHandler
{
    public static async Task<OutgoingMessages> Handle(AssignmentCompleted completed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<AssignmentCompletedHandler> logger, CancellationToken cancellation) =>
        await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.AssignmentCompleted, completed.AssignmentId,
            completed.ProviderId, completed.ClientId, $"completed every task of \u201c{completed.WorkflowName}\u201d", cancellation);
}
