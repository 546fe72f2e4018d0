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
        if (stream.Aggregate is not { IsActive: true, Card: { } card } account)
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
        if (result.Decline is not { } decline)
        {
            charge.Status = AutopayChargeStatus.Succeeded;
            charge.SettledAt = now;
            charge.NextAttemptAt = null;
            stream.AppendOne(new AutopayChargeSucceeded(charge.ClientId, charge.Id, charge.AmountCents, attempt, now));
            session.Store(charge);
            return [];
        }

        var failures = account.ConsecutiveFailures + 1;
        charge.Status = AutopayChargeStatus.Failed;
        charge.LastFailure = decline.Message;
        charge.NextAttemptAt = failures >= FailuresBeforeSuspension ? null : now + RetryDelay;
        session.Store(charge);
        stream.AppendOne(new AutopayChargeFailed(charge.ClientId, charge.Id, charge.AmountCents, attempt, failures, decline.Message, now));
        if (charge.NextAttemptAt is not { } retryAt)
        {
            var reason = $"The {card.Brand} card ending {card.Last4} was declined {failures} times in a row. " +
                         $"The last answer was: {decline.Message} " +
                         "Autopay is paused until the card on file is updated on the Autopay page of the portal.";
            stream.AppendOne(new AutopaySuspended(charge.ClientId, reason, now));
            return [new AutopayChanged(
                Guid.CreateVersion7(), charge.ClientId, account.ProviderId, AutopayChange.Suspended, AutopayStream.System, now, reason)];
        }

        return [new RetryAutopayCharge(charge.Id, attempt + 1, retryAt).ScheduledAt(retryAt)];
    }
}
