using Portal.Autopay.Accounts;

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

    /// <summary>The check as a message: now when it is already due, otherwise scheduled for its time.</summary>
    internal static object At(CardExpiryCheck check, DateTimeOffset now) => check.DueAt <= now ? check : check.ScheduledAt(check.DueAt);

    /// <summary>
    /// Lets the state decide: a check for a card that is no longer on file, or for autopay that is no longer active,
    /// does nothing; a check that arrives before its time (by the portal's clock) waits again.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(
        CardExpiryCheck check, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        if (now < check.DueAt) return [check.ScheduledAt(check.DueAt)];

        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(check.ClientId), cancellation);
        var account = stream.Aggregate;
        if (account is not { IsActive: true, Card: { } card } || card.CustomerToken != check.CustomerToken) return [];

        // The same card may have a new expiry since this check was scheduled (the processor updated it): not due yet then.
        var end = Gateway.CardExpiry.EndOfValidity(card.ExpMonth, card.ExpYear);
        if (now < (check.Stage == CardExpiryStage.Reminder ? end - ReminderLead : end)) return [];
        var expiresOn = Gateway.CardExpiry.LastDay(card.ExpMonth, card.ExpYear);
        switch (check.Stage)
        {
            case CardExpiryStage.Reminder when account.ExpiryRemindedFor != card.CustomerToken:
                stream.AppendOne(new AutopayCardExpiryReminded(check.ClientId, card.CustomerToken, expiresOn, now));
                return [new AutopayCardExpiring(Guid.CreateVersion7(), check.ClientId, account.ProviderId, card.Brand, card.Last4, expiresOn)];
            case CardExpiryStage.Expired:
                var reason = $"The {card.Brand} card ending {card.Last4} expired at the end of {card.ExpMonth:00}/{card.ExpYear}. " +
                             "Autopay is paused until a new card is added on the Autopay page of the portal.";
                stream.AppendOne(new AutopaySuspended(check.ClientId, reason, now) { Cause = SuspensionCause.For(SuspensionCause.Expired, card) });
                return [new AutopayChanged(
                    Guid.CreateVersion7(), check.ClientId, account.ProviderId, AutopayChange.Suspended, AutopayStream.System, now, reason)];
            default:
                return [];
        }
    }
}
