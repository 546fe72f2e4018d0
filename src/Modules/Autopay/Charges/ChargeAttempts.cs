using JasperFx.Events;
using Portal.Autopay.Accounts;
using Portal.Autopay.Gateway;

namespace Portal.Autopay.Charges;

/// <summary>One attempt to collect a charge, shared by the first try and the next-day retries.</summary>
internal static class ChargeAttempts
{
    public const int FailuresBeforeSuspension = 3;
    public static readonly TimeSpan RetryDelay = TimeSpan.FromDays(1);

    /// <summary>Charges the card on file and records the result; the messages are what the result leads to.</summary>
    public static async Task<OutgoingMessages> AttemptAsync(AutopayCharge charge, IDocumentSession session, IPaymentGateway gateway,
        TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(charge.ClientId), cancellation);
        var now = clock.GetUtcNow();
        if (stream.Aggregate is not { IsActive: true, Card: { } card })
        {
            charge.Status = AutopayChargeStatus.NotCollected;
            charge.NextAttemptAt = null;
            charge.LastFailure ??= "Autopay is not active for this client.";
            session.Store(charge);
            return [];
        }

        var attempt = charge.Attempts + 1;
        var result = await gateway.ChargeAsync(card.CustomerToken, charge.AmountCents, charge.Currency, $"{charge.Id}#{attempt}", cancellation);
        charge.Attempts = attempt;
        charge.GatewayReference = result.ChargeReference;
        charge.CardBrand = card.Brand;
        charge.CardLast4 = card.Last4;
        return result.Decline is { } decline
            ? Declined(charge, stream, decline, session, now)
            : Paid(charge, stream, session, now);
    }

    /// <summary>The charge was paid (answered now, or later by the processor's webhook): recorded, and a receipt goes out.</summary>
    public static OutgoingMessages Paid(AutopayCharge charge, IEventStream<AutopayAccount> stream, IDocumentSession session, DateTimeOffset now)
    {
        charge.Status = AutopayChargeStatus.Succeeded;
        charge.SettledAt = now;
        charge.NextAttemptAt = null;
        stream.AppendOne(new AutopayChargeSucceeded(charge.ClientId, charge.Id, charge.AmountCents, charge.Attempts, now));
        session.Store(charge);
        return [new AutopayPaymentReceived(Guid.CreateVersion7(), charge.ClientId, charge.ProviderId, charge.Id, charge.AmountCents,
            charge.Currency, charge.CardBrand ?? "Card", charge.CardLast4 ?? "", now)];
    }

    /// <summary>
    /// The charge was declined: retried the next day, or after the third decline in a row autopay is suspended and the
    /// client is told why and how to fix it (an <c>authentication_required</c> answer is a decline like any other).
    /// </summary>
    public static OutgoingMessages Declined(AutopayCharge charge, IEventStream<AutopayAccount> stream, GatewayDecline decline,
        IDocumentSession session, DateTimeOffset now)
    {
        var account = stream.Aggregate!;
        var failures = account.ConsecutiveFailures + 1;
        charge.Status = AutopayChargeStatus.Failed;
        charge.LastFailure = decline.Message;
        charge.NextAttemptAt = failures >= FailuresBeforeSuspension ? null : now + RetryDelay;
        session.Store(charge);
        stream.AppendOne(new AutopayChargeFailed(charge.ClientId, charge.Id, charge.AmountCents, charge.Attempts, failures, decline.Message, now));
        if (charge.NextAttemptAt is not { } retryAt)
        {
            var card = account.Card;
            var reason = $"The {card?.Brand ?? "card"} card ending {card?.Last4} was declined {failures} times in a row. " +
                         $"The last answer was: {decline.Message} " +
                         "Autopay is paused until the card on file is updated on the Autopay page of the portal.";
            stream.AppendOne(new AutopaySuspended(charge.ClientId, reason, now)
            {
                Cause = card is null ? null : SuspensionCause.For(SuspensionCause.Declined, card) with
                {
                    Failures = failures, DeclineCode = decline.Code, DeclineMessage = decline.Message,
                },
            });
            return [new AutopayChanged(
                Guid.CreateVersion7(), charge.ClientId, account.ProviderId, AutopayChange.Suspended, AutopayStream.System, now, reason)];
        }

        return [new RetryAutopayCharge(charge.Id, charge.Attempts + 1, retryAt).ScheduledAt(retryAt)];
    }
}
