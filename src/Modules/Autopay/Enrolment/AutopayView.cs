using System.Text.Json.Serialization;
using Portal.Autopay.Accounts;

namespace Portal.Autopay.Enrolment;

/// <summary>What the client and their provider see of an autopay set-up: never more of the card than brand, last 4 and expiry.</summary>
internal sealed record AutopayView(
    Guid ClientId,
    string Status,
    CardView? Card,
    DateTimeOffset? LastUpdated,
    string? LastUpdatedBy,
    string? SuspendedReason,
    int ConsecutiveFailures,
    ConsentView? Consent,
    long Version)
{
    /// <summary>Why autopay is paused, as facts the client's page words in their language (<see cref="SuspendedReason"/> is English).</summary>
    [JsonIgnore]
    public SuspensionCause? Cause { get; init; }

    public static AutopayView From(Guid clientId, AutopayAccount? account, long version) => account is null
        ? new(clientId, nameof(AutopayStatus.NotEnrolled), null, null, null, null, 0, null, version)
        : new(clientId, account.Status.ToString(),
            account.Card is { } c ? new CardView(c.Brand, c.Last4, c.ExpMonth, c.ExpYear, c.CardholderName, c.BillingPostalCode) : null,
            account.LastUpdated, account.LastUpdatedBy, account.SuspendedReason, account.ConsecutiveFailures,
            account.Consent is { } k ? new ConsentView(k.Version, k.AgreedAt, k.IpAddress) : null,
            version) { Cause = account.SuspensionCause };
}

internal sealed record CardView(string Brand, string Last4, int ExpMonth, int ExpYear, string CardholderName, string BillingPostalCode);

internal sealed record ConsentView(string Version, DateTimeOffset AgreedAt, string? IpAddress);
