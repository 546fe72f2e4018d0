using System.Security.Cryptography;
using System.Text;

namespace Portal.Autopay.Accounts;

// A client's autopay, event-sourced: one stream per client (see AutopayStream), projected inline into AutopayAccount.

/// <summary>The card on file, as the portal keeps it: the processor's token and what the cardholder needs to recognise it.</summary>
public sealed record SavedCard(
    string CustomerToken, string Brand, string Last4, int ExpMonth, int ExpYear, string CardholderName, string BillingPostalCode)
{
    public string Describe() => $"{Brand} ending {Last4}, expires {ExpMonth:00}/{ExpYear}";
}

/// <summary>The cardholder's agreement to the autopay authorization: which version, when and from where.</summary>
public sealed record AutopayConsent(string Version, string TextSha256, DateTimeOffset AgreedAt, string? IpAddress, string? UserAgent)
{
    /// <summary>The language of the text agreed to ("en", "es"); null on consents recorded before the text was translated.</summary>
    public string? Language { get; init; }
}

public sealed record AutopayEnrolled(Guid ClientId, Guid ProviderId, SavedCard Card, AutopayConsent Consent, Actor Actor, DateTimeOffset At);

public sealed record AutopayCardUpdated(Guid ClientId, SavedCard Card, AutopayConsent Consent, Actor Actor, DateTimeOffset At);

public sealed record AutopayCancelled(Guid ClientId, Actor Actor, DateTimeOffset At);

public sealed record AutopaySuspended(Guid ClientId, string Reason, DateTimeOffset At)
{
    /// <summary>The reason as facts, for the client's page in their language (null on events recorded before it).</summary>
    public SuspensionCause? Cause { get; init; }
}

/// <summary>
/// Why autopay was paused, as facts rather than a sentence: <see cref="Kind"/> is "declined" (with the failures and the
/// last decline), "expired" or "removed"; the card is named by brand and last 4 only.
/// </summary>
public sealed record SuspensionCause(string Kind, string Brand, string Last4, int ExpMonth, int ExpYear, int Failures = 0,
    string? DeclineCode = null, string? DeclineMessage = null)
{
    public const string Declined = "declined";
    public const string Expired = "expired";
    public const string Removed = "removed";

    public static SuspensionCause For(string kind, SavedCard card) => new(kind, card.Brand, card.Last4, card.ExpMonth, card.ExpYear);
}

public sealed record AutopayChargeSucceeded(Guid ClientId, string ChargeId, long AmountCents, int Attempt, DateTimeOffset At);

public sealed record AutopayChargeFailed(
    Guid ClientId, string ChargeId, long AmountCents, int Attempt, int ConsecutiveFailures, string Reason, DateTimeOffset At);

public sealed record AutopayChargeRefunded(
    Guid ClientId, string ChargeId, long AmountCents, string Reason, Actor Actor, DateTimeOffset At);

public sealed record AutopayChargeDisputed(Guid ClientId, string ChargeId, long AmountCents, string Reason, DateTimeOffset At);

/// <summary>The processor changed the saved card's details (a new expiry from the card network, say): the same card, updated.</summary>
public sealed record AutopayCardRefreshed(Guid ClientId, SavedCard Card, DateTimeOffset At);

/// <summary>The card was removed at the processor (not by the client here): autopay cannot charge it any more.</summary>
public sealed record AutopayCardRemovedAtProcessor(Guid ClientId, string Reason, DateTimeOffset At)
{
    public SuspensionCause? Cause { get; init; }
}

public sealed record AutopayCardExpiryReminded(Guid ClientId, string CustomerToken, DateOnly ExpiresOn, DateTimeOffset At);

public enum AutopayStatus
{
    NotEnrolled,
    Active,
    Suspended,
    Cancelled,
}

/// <summary>The current state of one client's autopay, projected from its stream.</summary>
public sealed class AutopayAccount
{
    /// <summary>The stream id (see <see cref="AutopayStream.For"/>), not the client id.</summary>
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public AutopayStatus Status { get; set; }
    public SavedCard? Card { get; set; }
    public AutopayConsent? Consent { get; set; }
    public int ConsecutiveFailures { get; set; }
    public string? SuspendedReason { get; set; }
    public SuspensionCause? SuspensionCause { get; set; }
    public string? ExpiryRemindedFor { get; set; }

    /// <summary>When the autopay set-up last changed (enrolled, card updated, cancelled, suspended).</summary>
    public DateTimeOffset? LastUpdated { get; set; }
    public string? LastUpdatedBy { get; set; }
    public long Version { get; set; }

    public bool IsActive => Status == AutopayStatus.Active;

    public void Apply(AutopayEnrolled e)
    {
        ClientId = e.ClientId;
        ProviderId = e.ProviderId;
        Status = AutopayStatus.Active;
        Card = e.Card;
        Consent = e.Consent;
        ConsecutiveFailures = 0;
        SuspendedReason = null;
        SuspensionCause = null;
        Touch(e.At, e.Actor.DisplayName);
    }

    public void Apply(AutopayCardUpdated e)
    {
        Status = AutopayStatus.Active;
        Card = e.Card;
        Consent = e.Consent;
        ConsecutiveFailures = 0;
        SuspendedReason = null;
        SuspensionCause = null;
        Touch(e.At, e.Actor.DisplayName);
    }

    public void Apply(AutopayCancelled e)
    {
        Status = AutopayStatus.Cancelled;
        Card = null;
        Touch(e.At, e.Actor.DisplayName);
    }

    public void Apply(AutopaySuspended e)
    {
        Status = AutopayStatus.Suspended;
        SuspendedReason = e.Reason;
        SuspensionCause = e.Cause;
        Touch(e.At, "Autopay");
    }

    public void Apply(AutopayChargeSucceeded e) => ConsecutiveFailures = 0;

    public void Apply(AutopayChargeFailed e) => ConsecutiveFailures = e.ConsecutiveFailures;

    public void Apply(AutopayCardExpiryReminded e) => ExpiryRemindedFor = e.CustomerToken;

    public void Apply(AutopayCardRefreshed e)
    {
        Card = e.Card;
        ExpiryRemindedFor = null;
        Touch(e.At, "Stripe");
    }

    public void Apply(AutopayCardRemovedAtProcessor e)
    {
        Status = AutopayStatus.Suspended;
        SuspendedReason = e.Reason;
        SuspensionCause = e.Cause;
        Touch(e.At, "Stripe");
    }

    private void Touch(DateTimeOffset at, string by)
    {
        LastUpdated = at;
        LastUpdatedBy = by;
    }
}

internal static class AutopayStream
{
    /// <summary>
    /// All modules share one event store, so a client's autopay stream gets its own id, derived from the client id
    /// (a name-based UUID), rather than the client id itself.
    /// </summary>
    public static Guid For(Guid clientId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("portal.autopay/" + clientId.ToString("N")));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    public static readonly Actor System = new(ActorKind.System, Guid.Empty, "Autopay");
}
