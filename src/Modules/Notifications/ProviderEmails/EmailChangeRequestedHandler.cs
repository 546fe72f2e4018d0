using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client asked to change their login email: their provider is asked to approve it.</summary>
public sealed class EmailChangeRequestedHandler
{
    public static async Task<OutgoingMessages> Handle(EmailChangeRequested requested, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<EmailChangeRequestedHandler> logger, CancellationToken cancellation) =>
        await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.EmailChangeRequest, requested.RequestId,
            requested.ProviderId, requested.ClientId, "asked to change their login email", cancellation);
}
