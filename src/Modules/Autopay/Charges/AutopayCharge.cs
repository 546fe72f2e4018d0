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

    public static string IdFor(Guid clientId, string idempotencyKey) => $"{clientId:N}/{idempotencyKey}";
}

internal sealed record ChargeView(string ChargeId, Guid ClientId, string IdempotencyKey, long AmountCents, string Currency, string Description,
    string Status, int Attempts, string? FailureMessage, DateTimeOffset? NextAttemptAt, DateTimeOffset RequestedAt)
{
    public static ChargeView From(AutopayCharge c) => new(c.Id, c.ClientId, c.IdempotencyKey, c.AmountCents, c.Currency, c.Description,
        c.Status.ToString(), c.Attempts, c.LastFailure, c.NextAttemptAt, c.RequestedAt);
}
