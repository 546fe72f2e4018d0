using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client completed an assessment through the portal: "Jane D. completed an assessment". Never the instrument,
/// score, severity or safety flag (the flag has its own urgent notification, <see cref="SafetyFlagRaisedHandler"/>).
/// </summary>
public sealed class AssessmentCompletedHandler
{
    public static async Task<OutgoingMessages> Handle(AssessmentCompleted completed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<AssessmentCompletedHandler> logger, CancellationToken cancellation)
    {
        if (!ProviderNotifier.ActedThroughPortal(completed.Actor)) return [];
        return await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.Assessments, completed.EventId,
            completed.ProviderId, completed.ClientId, "completed an assessment", cancellation);
    }
}
