namespace Portal.Autopay.Gateway;

/// <summary>
/// The payment processor, as the Autopay module sees it. The browser sends the card number straight to the processor's
/// tokenization endpoint and hands the module a single-use card token; the module exchanges it for a reusable customer
/// token and charges that. The module never sees a card number. The default implementation is the in-app sandbox
/// (SandboxGateway/); a real processor replaces it by registering another implementation.
/// Public only because Wolverine's generated endpoint code must name it; Wolverine resolves it by service location
/// (see AutopayModule), so implementations stay internal.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The browser script that tokenizes card numbers for this gateway, and where it posts them.</summary>
    GatewayBrowserSettings BrowserSettings { get; }

    /// <summary>Exchanges a single-use card token for a reusable customer token, verifying the card ($0 authorization).</summary>
    Task<CustomerTokenResult> CreateCustomerTokenAsync(
        string cardToken, string cardholderName, string billingPostalCode, CancellationToken cancellation);

    /// <summary>Charges a customer token. The same idempotency key never charges twice: a repeat returns the first result.</summary>
    Task<GatewayChargeResult> ChargeAsync(
        string customerToken, long amountCents, string currency, string idempotencyKey, CancellationToken cancellation);

    /// <summary>Forgets a customer token (the card was replaced or autopay cancelled).</summary>
    Task RemoveCustomerTokenAsync(string customerToken, CancellationToken cancellation);
}

public sealed record GatewayBrowserSettings(string TokenizationUrl, bool IsSandbox);

/// <summary>How a card is funded. FSA and HSA cards are health-spending accounts.</summary>
public enum CardFunding
{
    Credit,
    Debit,
    Prepaid,
    Fsa,
    Hsa,
}

/// <summary>A verified card as the processor describes it: never the number.</summary>
public sealed record GatewayCard(string CustomerToken, string Brand, string Last4, int ExpMonth, int ExpYear, CardFunding Funding);

/// <summary>A processor refusal: a stable code and a sentence the cardholder can act on.</summary>
public sealed record GatewayDecline(string Code, string Message);

public sealed record CustomerTokenResult(GatewayCard? Card, GatewayDecline? Decline)
{
    public static CustomerTokenResult Verified(GatewayCard card) => new(card, null);
    public static CustomerTokenResult Declined(string code, string message) => new(null, new GatewayDecline(code, message));
}

public sealed record GatewayChargeResult(string? ChargeReference, GatewayDecline? Decline)
{
    public bool Succeeded => Decline is null;
}
