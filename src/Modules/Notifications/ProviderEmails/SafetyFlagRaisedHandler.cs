using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// An answer was flagged for safety follow-up: the provider is emailed at once, whatever their digest preference,
/// that the client "needs your attention today", still without the answer or the instrument.
/// </summary>
public sealed class SafetyFlagRaisedHandler
{
    public static async Task<OutgoingMessages> Handle(SafetyFlagRaised raised, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<SafetyFlagRaisedHandler> logger, CancellationToken cancellation) =>
        await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.SafetyFlag, raised.EventId,
            raised.ProviderId, raised.ClientId, "needs your attention today", cancellation);
}
