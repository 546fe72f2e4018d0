namespace Portal.Contracts;

/// <summary>
/// A charge to the client's card on file was paid: Notifications emails the receipt. Amount, time and card (brand and
/// last 4) only: no description, so nothing about the care behind the charge leaves the practice.
/// </summary>
public sealed record AutopayPaymentReceived(
    Guid EventId, Guid ClientId, Guid ProviderId, string ChargeId, long AmountCents, string Currency, string CardBrand,
    string Last4, DateTimeOffset At);

/// <summary>
/// Why a payment was refunded, in the words the client's email uses. The practice's own note stays in the portal:
/// it may speak of the care behind the charge, so it never leaves in an email or to the processor.
/// </summary>
public enum AutopayRefundReason
{
    /// <summary>No reason given to the client, or a refund made at the processor.</summary>
    Other,
    Duplicate,
    RequestedByClient,
    BillingCorrection,
}

/// <summary>
/// A paid charge was refunded, in part or in full (in the portal or at the processor): Notifications emails the client
/// (and contacts who receive the record's emails) the amount, the date, the card and the reason in plain words.
/// </summary>
public sealed record AutopayPaymentRefunded(
    Guid EventId, Guid ClientId, Guid ProviderId, string ChargeId, long AmountCents, string Currency, string CardBrand,
    string Last4, AutopayRefundReason Reason, DateTimeOffset At);
