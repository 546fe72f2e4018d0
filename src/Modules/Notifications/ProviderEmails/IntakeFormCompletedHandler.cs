using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client completed an intake form through the portal: their provider is told, without the form's title (a title
/// such as "Substance use history" would itself be a health detail) and without any answer.
/// </summary>
public sealed class IntakeFormCompletedHandler
{
    public static async Task<OutgoingMessages> Handle(IntakeFormCompleted completed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<IntakeFormCompletedHandler> logger, CancellationToken cancellation)
    {
        if (!ProviderNotifier.ActedThroughPortal(completed.Actor)) return [];
        return await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.IntakeForms, completed.EventId,
            completed.ProviderId, completed.ClientId, "completed an intake form", cancellation);
    }
}
