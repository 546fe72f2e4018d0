using Portal.Autopay.Accounts;
using Portal.Autopay.Charges;
using Portal.Autopay.Enrolment;

namespace Portal.Autopay.StripeGateway;

/// <summary>
/// Stripe's word on charges and cards, applied to the module's state so the charge history, the card on file and
/// Last Updated follow Stripe. Each handler lets the state decide: what the portal already knows (a charge it saw
/// succeed when it made it, a refund it made itself) changes nothing.
/// </summary>
public static class StripeEventHandler
{
    private static readonly Actor Stripe = new(ActorKind.System, Guid.Empty, "Stripe");

    public static async Task<OutgoingMessages> Handle(StripePaymentSucceeded paid, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        if (await ChargeOfAsync(session, paid.PaymentIntentId, cancellation) is not { Status: not AutopayChargeStatus.Succeeded } charge)
            return [];
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(charge.ClientId), cancellation);
        return ChargeAttempts.Paid(charge, stream, session, clock.GetUtcNow());
    }

    public static async Task<OutgoingMessages> Handle(StripePaymentFailed failed, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        // A decline answered when the charge was made was counted then; only a charge still waiting is settled here.
        if (await ChargeOfAsync(session, failed.PaymentIntentId, cancellation) is not { Status: AutopayChargeStatus.Pending } charge)
            return [];
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(charge.ClientId), cancellation);
        if (stream.Aggregate is null) return [];
        return ChargeAttempts.Declined(charge, stream, new Gateway.GatewayDecline(failed.Code, failed.Message), session, clock.GetUtcNow());
    }

    public static async Task<OutgoingMessages> Handle(StripePaymentMethodUpdated updated, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        if (await AccountWithCardAsync(session, updated.PaymentMethodId, cancellation) is not { Card: { } card } account) return [];
        if (card.Brand == updated.Brand && card.Last4 == updated.Last4 && card.ExpMonth == updated.ExpMonth && card.ExpYear == updated.ExpYear)
            return [];
        var now = clock.GetUtcNow();
        var refreshed = card with { Brand = updated.Brand, Last4 = updated.Last4, ExpMonth = updated.ExpMonth, ExpYear = updated.ExpYear };
        var stream = await session.Events.FetchForWriting<AutopayAccount>(account.Id, cancellation);
        stream.AppendOne(new AutopayCardRefreshed(account.ClientId, refreshed, now));
        // The checks scheduled for the old expiry find it no longer due (CardExpiryCheckHandler); these are for the new one.
        return [.. CardOnFile.ExpiryChecks(account.ClientId, refreshed, now)];
    }

    public static async Task<OutgoingMessages> Handle(StripePaymentMethodDetached detached, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        // The card the portal removed itself (replaced or cancelled) is no longer on file: nothing to do.
        if (await AccountWithCardAsync(session, detached.PaymentMethodId, cancellation) is not
            { Status: AutopayStatus.Active or AutopayStatus.Suspended, Card: { } card } account)
            return [];
        var now = clock.GetUtcNow();
        var reason = $"The {card.Brand} card ending {card.Last4} was removed at the payment processor. " +
                     "Autopay is paused until a card is added again on the Autopay page of the portal.";
        var stream = await session.Events.FetchForWriting<AutopayAccount>(account.Id, cancellation);
        stream.AppendOne(new AutopayCardRemovedAtProcessor(account.ClientId, reason, now) { Cause = SuspensionCause.For(SuspensionCause.Removed, card) });
        return [new AutopayChanged(Guid.CreateVersion7(), account.ClientId, account.ProviderId, AutopayChange.Suspended, Stripe, now, reason)];
    }

    public static async Task<OutgoingMessages> Handle(StripeChargeRefunded refunded, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        if (await ChargeOfAsync(session, refunded.PaymentIntentId, cancellation) is not { } charge) return [];
        // Stripe reports the total refunded; refunds made in the portal are already in the charge.
        var missing = refunded.AmountRefundedCents - charge.RefundedCents;
        if (missing <= 0) return [];
        var now = clock.GetUtcNow();
        const string reason = "Refunded at the payment processor";
        charge.Refunds.Add(new ChargeRefund($"stripe:{refunded.EventId}", missing, reason, Stripe, now, null));
        session.Store(charge);
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(charge.ClientId), cancellation);
        stream.AppendOne(new AutopayChargeRefunded(charge.ClientId, charge.Id, missing, reason, Stripe, now));
        return [RefundCharge.Refunded(charge, missing, AutopayRefundReason.Other, now)];
    }

    public static async Task Handle(StripeDisputeOpened dispute, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        if (await ChargeOfAsync(session, dispute.PaymentIntentId, cancellation) is not { DisputeReason: null } charge) return;
        var now = clock.GetUtcNow();
        charge.DisputeReason = dispute.Reason;
        charge.DisputedAt = now;
        session.Store(charge);
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(charge.ClientId), cancellation);
        stream.AppendOne(new AutopayChargeDisputed(charge.ClientId, charge.Id, dispute.AmountCents, dispute.Reason, now));
    }

    private static Task<AutopayCharge?> ChargeOfAsync(IDocumentSession session, string paymentIntentId, CancellationToken cancellation) =>
        session.Query<AutopayCharge>().FirstOrDefaultAsync(c => c.GatewayReference == paymentIntentId, cancellation);

    private static Task<AutopayAccount?> AccountWithCardAsync(IDocumentSession session, string paymentMethodId, CancellationToken cancellation)
    {
        var suffix = "/" + paymentMethodId;
        return session.Query<AutopayAccount>().FirstOrDefaultAsync(a => a.Card!.CustomerToken.EndsWith(suffix), cancellation);
    }
}
