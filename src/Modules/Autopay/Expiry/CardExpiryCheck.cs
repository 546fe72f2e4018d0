using Marten;
using Portal.Autopay.Accounts;
using Portal.Contracts;
using Wolverine;

namespace Portal.Autopay.Expiry;

public enum CardExpiryStage
{
    /// <summary>30 days before the card expires: remind the client.</summary>
    Reminder,

    /// <summary>The card has expired: suspend autopay.</summary>
    Expired,
}

/// <summary>A durable scheduled check of one saved card, due at <see cref="DueAt"/> by the portal's clock.</summary>
public sealed record CardExpiryCheck(Guid ClientId, string CustomerToken, CardExpiryStage Stage, DateTimeOffset DueAt);

public static class CardExpiryCheckHandler
{
    public static readonly TimeSpan ReminderLead = TimeSpan.FromDays(30);

    internal static async Task ScheduleAsync(IMessageBus bus, CardExpiryCheck check, DateTimeOffset now)
    {
        if (check.DueAt <= now) await bus.PublishAsync(check);
        else await bus.ScheduleAsync(check, check.DueAt);
    }

    /// <summary>
    /// Lets the state decide: a check for a card that is no longer on file, or for autopay that is no longer active,
    /// does nothing; a check that arrives before its time (by the portal's clock) waits again.
    /// </summary>
    public static async Task Handle(CardExpiryCheck check, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < check.DueAt)
        {
            await bus.ScheduleAsync(check, check.DueAt);
            return;
        }

        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(check.ClientId), cancellation);
        var account = stream.Aggregate;
        if (account is not { IsActive: true, Card: { } card } || card.CustomerToken != check.CustomerToken) return;

        var expiresOn = Gateway.CardExpiry.LastDay(card.ExpMonth, card.ExpYear);
        switch (check.Stage)
        {
            case CardExpiryStage.Reminder when account.ExpiryRemindedFor != card.CustomerToken:
                stream.AppendOne(new AutopayCardExpiryReminded(check.ClientId, card.CustomerToken, expiresOn, now));
                await bus.PublishAsync(new AutopayCardExpiring(Guid.CreateVersion7(), check.ClientId, account.ProviderId, card.Brand, card.Last4, expiresOn));
                break;
            case CardExpiryStage.Expired:
                var reason = $"The {card.Brand} card ending {card.Last4} expired at the end of {card.ExpMonth:00}/{card.ExpYear}. " +
                             "Autopay is paused until a new card is added on the Autopay page of the portal.";
                stream.AppendOne(new AutopaySuspended(check.ClientId, reason, now));
                await bus.PublishAsync(new AutopayChanged(Guid.CreateVersion7(), check.ClientId, account.ProviderId,
                    AutopayChange.Suspended, AutopayStream.System, now, reason));
                break;
        }
    }
}
