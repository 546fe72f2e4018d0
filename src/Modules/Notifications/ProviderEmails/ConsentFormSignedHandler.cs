using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client signed a consent form or policy through the portal: their provider is told which one.</summary>
public sealed class ConsentFormSignedHandler
{
    public static async Task<OutgoingMessages> Handle(ConsentFormSigned signed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<ConsentFormSignedHandler> logger, CancellationToken cancellation)
    {
        if (!ProviderNotifier.ActedThroughPortal(signed.Actor)) return [];
        return await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.ConsentForms, signed.EventId,
            signed.ProviderId, signed.ClientId, $"signed \u201c{signed.DocumentTitle}\u201d", cancellation);
    }
}
