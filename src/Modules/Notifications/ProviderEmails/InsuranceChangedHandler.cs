using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Portal.Contracts;
using Portal.Notifications.Inbox;
using Wolverine;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client added, updated or removed insurance details through the portal: their provider is told.</summary>
public sealed class InsuranceChangedHandler
{
    public static async Task<OutgoingMessages> Handle(InsuranceChanged changed, IDocumentSession session, IConfiguration configuration,
        TimeProvider clock, ILogger<InsuranceChangedHandler> logger, CancellationToken cancellation)
    {
        if (!ProviderNotifier.ActedThroughPortal(changed.Actor)) return [];
        var plan = changed.Rank == PlanRank.Secondary ? "secondary insurance details" : "insurance details";
        var action = changed.Change switch
        {
            InsuranceChange.Added => $"added {plan}",
            InsuranceChange.Removed => $"removed {plan}",
            _ => $"updated {plan}",
        };
        return await ProviderNotifier.NotifyAsync(session, configuration, clock, logger, NotificationKind.Insurance, changed.EventId,
            changed.ProviderId, changed.ClientId, action, cancellation);
    }
}
