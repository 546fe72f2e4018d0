namespace Portal.Contracts;

/// <summary>
/// A charge to the client's card on file was paid: Notifications emails the receipt. Amount, time and card (brand and
/// last 4) only: no description, so nothing about the care behind the charge leaves the practice.
/// </summary>
public sealed record AutopayPaymentReceived(
    Guid EventId, Guid ClientId, Guid ProviderId, string ChargeId, long AmountCents, string Currency, string CardBrand,
    string Last4, DateTimeOffset At);
