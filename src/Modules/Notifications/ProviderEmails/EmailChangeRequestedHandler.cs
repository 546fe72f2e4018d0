using Marten;
using Microsoft.Extensions.Configuration;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client asked to change their login email: their provider is asked to approve it.</summary>
public sealed class EmailChangeRequestedHandler
{
    public static async Task<OutgoingMessages> Handle(EmailChangeRequested requested, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation) =>
        await ProviderNotifier.NotifyAsync(session, configuration, clock, NotificationKind.EmailChangeRequest, requested.RequestId,
            requested.ProviderId, requested.ClientId, "asked to change their login email", cancellation);
}
