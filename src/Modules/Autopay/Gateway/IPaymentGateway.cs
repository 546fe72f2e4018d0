namespace Portal.Autopay.Gateway;

/// <summary>
/// The payment processor, as the Autopay module sees it. The browser sends the card straight to the processor (the
/// sandbox's tokenization endpoint, or Stripe's Payment Element) and hands the module a single-use reference to it
/// (a card token, a SetupIntent id); the module exchanges it for a reusable customer token and charges that. The
/// module never sees a card number. Which implementation runs is configuration (<c>Payments:Provider</c>, see
/// Payments/PaymentSettings.cs): the in-app sandbox (SandboxGateway/) or Stripe (StripeGateway/).
/// Public only because Wolverine's generated endpoint code must name it; Wolverine resolves it by service location
/// (see AutopayModule), so implementations stay internal.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>What the card form needs to reach the processor: the sandbox's tokenization URL, or Stripe's publishable key.</summary>
    GatewayBrowserSettings BrowserSettings { get; }

    /// <summary>
    /// Prepares the processor for the client to enter a card: for Stripe, the client's Customer (made once) and a
    /// SetupIntent for off-session use, whose client secret the Payment Element confirms. The sandbox needs nothing.
    /// </summary>
    Task<CardEntry> BeginCardEntryAsync(Guid clientId, CancellationToken cancellation);

    /// <summary>
    /// Exchanges the browser's single-use card reference for a reusable customer token, the card verified. A
    /// reference that is not this client's is refused as an invalid token.
    /// </summary>
    Task<CustomerTokenResult> CreateCustomerTokenAsync(
        Guid clientId, string cardToken, string cardholderName, string billingPostalCode, CancellationToken cancellation);

    /// <summary>Charges a customer token. The same idempotency key never charges twice: a repeat returns the first result.</summary>
    Task<GatewayChargeResult> ChargeAsync(
        string customerToken, long amountCents, string currency, string idempotencyKey, CancellationToken cancellation);

    /// <summary>Refunds part or all of a charge. The same idempotency key never refunds twice.</summary>
    Task<GatewayRefundResult> RefundAsync(
        string chargeReference, long amountCents, string idempotencyKey, CancellationToken cancellation);

    /// <summary>Forgets a customer token (the card was replaced or autopay cancelled).</summary>
    Task RemoveCustomerTokenAsync(string customerToken, CancellationToken cancellation);
}

/// <summary>
/// How the card form reaches the processor: <see cref="TokenizationUrl"/> for the sandbox, or Stripe's
/// <see cref="StripePublishableKey"/> for the Payment Element. Test cards are shown only when <see cref="IsSandbox"/>.
/// </summary>
public sealed record GatewayBrowserSettings(string? TokenizationUrl, bool IsSandbox, string? StripePublishableKey = null)
{
    public bool IsStripe => StripePublishableKey is not null;
}

/// <summary>
/// What the card form needs for this one entry: Stripe's SetupIntent client secret (none for the sandbox).
/// <see cref="Unavailable"/> when the processor could not be reached: the form says so instead of failing.
/// </summary>
public sealed record CardEntry(string? ClientSecret, bool Unavailable = false);

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

public sealed record GatewayRefundResult(string? RefundReference, GatewayDecline? Decline)
{
    public bool Succeeded => Decline is null;
}
