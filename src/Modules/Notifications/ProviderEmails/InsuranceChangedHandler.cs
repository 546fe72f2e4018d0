using Portal.Notifications.Inbox;

namespace Portal.Notifications.ProviderEmails;

/// <summary>A client added, updated or removed insurance details through the portal: their provider is told.</summary>
public sealed class InsuranceChangedHandler
{
    public static Task<OutgoingMessages> Handle(
        InsuranceChanged changed, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation)
    {
        var plan = changed.Rank == PlanRank.Secondary ? "secondary insurance details" : "insurance details";
        var action = changed.Change switch
        {
            InsuranceChange.Added => $"added {plan}",
            InsuranceChange.Removed => $"removed {plan}",
            _ => $"updated {plan}",
        };
        return notifier.NotifyIfClientActedAsync(session, changed.Actor,
            new ClientActivity(NotificationKind.Insurance, changed.EventId, changed.ProviderId, changed.ClientId, action), cancellation);
    }
}
