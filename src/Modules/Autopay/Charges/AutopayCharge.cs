namespace Portal.Autopay.Charges;

public enum AutopayChargeStatus
{
    /// <summary>Claimed under its idempotency key; the processor has not answered yet.</summary>
    Pending,
    Succeeded,

    /// <summary>Declined; retried the next day unless autopay was suspended.</summary>
    Failed,

    /// <summary>Not collected: autopay stopped (suspended or cancelled) before the charge went through.</summary>
    NotCollected,
}

/// <summary>
/// A balance posted for a client, charged to the card on file. The document id is made of the client and the
/// request's idempotency key, so the database's primary key makes a second charge with the same key impossible.
/// </summary>
public sealed class AutopayCharge
{
    public string Id { get; set; } = string.Empty;
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public string IdempotencyKey { get; set; } = string.Empty;
    public long AmountCents { get; set; }
    public string Currency { get; set; } = "usd";
    public string Description { get; set; } = string.Empty;
    public Actor RequestedBy { get; set; } = null!;
    public DateTimeOffset RequestedAt { get; set; }
    public AutopayChargeStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastFailure { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SettledAt { get; set; }
    public string? GatewayReference { get; set; }

    /// <summary>The card the last attempt charged (brand and last 4 only), for the receipt and the history.</summary>
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }

    /// <summary>Refunds, by the practice in the portal or at the processor (seen through its webhook).</summary>
    public List<ChargeRefund> Refunds { get; set; } = [];

    /// <summary>Set when the cardholder disputed the charge with their bank (the processor's dispute reason).</summary>
    public string? DisputeReason { get; set; }
    public DateTimeOffset? DisputedAt { get; set; }

    public long RefundedCents => Refunds.Sum(r => r.AmountCents);

    public long RefundableCents => Status == AutopayChargeStatus.Succeeded ? AmountCents - RefundedCents : 0;

    public static string IdFor(Guid clientId, string idempotencyKey) => $"{clientId:N}/{idempotencyKey}";
}

/// <summary>
/// One refund of a charge. <see cref="Key"/> is the refund request's idempotency key (or the processor's refund id
/// for a refund made at the processor); <see cref="Reason"/> is the practice's, kept in the portal only.
/// </summary>
public sealed record ChargeRefund(string Key, long AmountCents, string Reason, Actor By, DateTimeOffset At, string? GatewayReference);

internal sealed record ChargeView(string ChargeId, Guid ClientId, string IdempotencyKey, long AmountCents, string Currency, string Description,
    string Status, int Attempts, string? FailureMessage, DateTimeOffset? NextAttemptAt, DateTimeOffset RequestedAt,
    DateTimeOffset? PaidAt, string? CardBrand, string? CardLast4, long RefundedCents, IReadOnlyList<RefundView> Refunds,
    string? DisputeReason)
{
    public static ChargeView From(AutopayCharge c) => new(c.Id, c.ClientId, c.IdempotencyKey, c.AmountCents, c.Currency, c.Description,
        c.Status.ToString(), c.Attempts, c.LastFailure, c.NextAttemptAt, c.RequestedAt, c.SettledAt, c.CardBrand, c.CardLast4,
        c.RefundedCents, c.Refunds.Select(r => new RefundView(r.AmountCents, r.Reason, r.By.DisplayName, r.At)).ToList(), c.DisputeReason);
}

internal sealed record RefundView(long AmountCents, string Reason, string By, DateTimeOffset At);
