using JasperFx;
using Microsoft.Extensions.Logging;
using Portal.Autopay.Gateway;
using Portal.Autopay.Payments;
using Stripe;

namespace Portal.Autopay.StripeGateway;

/// <summary>
/// Stripe behind <see cref="IPaymentGateway"/>: a Customer per client (<see cref="StripeCustomerLink"/>), the card saved by
/// the browser with a SetupIntent for off-session use (the Payment Element confirms it with Stripe, so the card never
/// reaches the portal), charges as off-session PaymentIntents and refunds, each POST with the portal's idempotency key.
/// The customer token the module keeps is "cus_…/pm_…": the Customer and the saved PaymentMethod.
/// Only ids, amounts and the client id as metadata go to Stripe: no name, email, description or other health detail.
/// </summary>
[Portal.BuildingBlocks.Modules.RegisteredByModule]
internal sealed class StripePaymentGateway(
    IStripeClient stripe, PaymentSettings settings, IDocumentStore store, TimeProvider clock, ILogger<StripePaymentGateway> logger)
    : IPaymentGateway
{
    public const string AuthenticationRequiredMessage =
        "Your bank asked to confirm this payment, which can't be done while you are away. " +
        "Please add your card again on the Autopay page of the portal, confirming it with your bank.";

    public GatewayBrowserSettings BrowserSettings { get; } = new(null, IsSandbox: false, settings.Stripe!.PublishableKey);

    public async Task<CardEntry> BeginCardEntryAsync(Guid clientId, CancellationToken cancellation)
    {
        try
        {
            var customer = await CustomerForAsync(clientId, cancellation);
            var intent = await new SetupIntentService(stripe).CreateAsync(new SetupIntentCreateOptions
            {
                Customer = customer,
                Usage = "off_session",
                AllowedPaymentMethodTypes = ["card"],
                Metadata = new Dictionary<string, string> { ["portal_client_id"] = clientId.ToString() },
            }, cancellationToken: cancellation);
            return new CardEntry(intent.ClientSecret);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            logger.LogWarning("Stripe did not answer when a card form was opened ({Kind})", e.GetType().Name);
            return new CardEntry(null, Unavailable: true);
        }
    }

    public async Task<CustomerTokenResult> CreateCustomerTokenAsync(
        Guid clientId, string cardToken, string cardholderName, string billingPostalCode, CancellationToken cancellation)
    {
        var invalid = CustomerTokenResult.Declined("invalid_token", "Your card details have expired. Please enter your card again.");
        if (!cardToken.StartsWith("seti_", StringComparison.Ordinal)) return invalid;
        await using var read = store.QuerySession();
        if (await read.LoadAsync<StripeCustomerLink>(clientId, cancellation) is not { } link) return invalid;

        SetupIntent intent;
        try
        {
            intent = await new SetupIntentService(stripe).GetAsync(cardToken,
                new SetupIntentGetOptions { Expand = ["payment_method"] }, cancellationToken: cancellation);
        }
        catch (StripeException e) when (e.StripeError?.Type == "invalid_request_error")
        {
            return invalid;
        }
        // A SetupIntent of another client's Customer is refused like an unknown one.
        if (intent.CustomerId != link.CustomerId || intent.PaymentMethod?.Card is not { } card) return invalid;
        if (intent.Status != "succeeded")
            return CustomerTokenResult.Declined("setup_incomplete", "Your card was not confirmed. Please enter it again.");

        var funding = StripeCards.Funding(card, settings.Stripe!);
        return CustomerTokenResult.Verified(new GatewayCard(
            CustomerToken.Of(link.CustomerId, intent.PaymentMethod.Id), StripeCards.BrandName(card.Brand), card.Last4,
            (int)card.ExpMonth, (int)card.ExpYear, funding));
    }

    public async Task<GatewayChargeResult> ChargeAsync(
        string customerToken, long amountCents, string currency, string idempotencyKey, CancellationToken cancellation)
    {
        var (customer, paymentMethod) = CustomerToken.Parse(customerToken);
        try
        {
            var intent = await new PaymentIntentService(stripe).CreateAsync(new PaymentIntentCreateOptions
            {
                Amount = amountCents,
                Currency = currency,
                Customer = customer,
                PaymentMethod = paymentMethod,
                OffSession = true,
                Confirm = true,
            }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation);
            return intent.Status switch
            {
                "succeeded" => new GatewayChargeResult(intent.Id, null),
                "requires_action" => new GatewayChargeResult(intent.Id, new GatewayDecline("authentication_required", AuthenticationRequiredMessage)),
                _ => new GatewayChargeResult(intent.Id, new GatewayDecline("processing_error",
                    "The payment did not go through. It will be tried again.")),
            };
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error")
        {
            return new GatewayChargeResult(e.StripeError.PaymentIntent?.Id, Decline(e.StripeError));
        }
        catch (StripeException e) when (e.StripeError?.Type == "invalid_request_error" && e.StripeError.Code == "resource_missing")
        {
            return new GatewayChargeResult(null,
                new GatewayDecline("invalid_customer", "The card on file is no longer available. Please add your card again."));
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            // Stripe's client already retried with the same idempotency key; the next attempt (tomorrow) uses a new one.
            logger.LogWarning("Stripe did not answer a charge ({Kind})", e.GetType().Name);
            return new GatewayChargeResult(null, new GatewayDecline("processor_unavailable",
                "The payment processor could not be reached. The charge will be tried again."));
        }
    }

    public async Task<GatewayRefundResult> RefundAsync(
        string chargeReference, long amountCents, string idempotencyKey, CancellationToken cancellation)
    {
        try
        {
            var refund = await new RefundService(stripe).CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = chargeReference,
                Amount = amountCents,
            }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellation);
            return refund.Status is "failed" or "canceled"
                ? new GatewayRefundResult(refund.Id, new GatewayDecline("refund_failed", "Stripe could not make the refund."))
                : new GatewayRefundResult(refund.Id, null);
        }
        catch (StripeException e) when (e.StripeError is { } error)
        {
            return new GatewayRefundResult(null, new GatewayDecline(error.Code ?? error.Type ?? "refund_failed",
                error.Message ?? "Stripe could not make the refund."));
        }
    }

    public async Task RemoveCustomerTokenAsync(string customerToken, CancellationToken cancellation)
    {
        var (_, paymentMethod) = CustomerToken.Parse(customerToken);
        try
        {
            await new PaymentMethodService(stripe).DetachAsync(paymentMethod, cancellationToken: cancellation);
        }
        catch (StripeException e) when (e.StripeError?.Code is "resource_missing" or "payment_method_unexpected_state")
        {
            // Already detached: the card is gone, which is what was asked.
        }
    }

    /// <summary>The client's Stripe Customer, made on first use; Stripe's idempotency key keeps two first uses to one.</summary>
    private async Task<string> CustomerForAsync(Guid clientId, CancellationToken cancellation)
    {
        await using (var read = store.QuerySession())
        {
            if (await read.LoadAsync<StripeCustomerLink>(clientId, cancellation) is { } known) return known.CustomerId;
        }

        var customer = await new CustomerService(stripe).CreateAsync(new CustomerCreateOptions
        {
            Metadata = new Dictionary<string, string> { ["portal_client_id"] = clientId.ToString() },
        }, new RequestOptions { IdempotencyKey = $"portal-customer-{clientId:N}" }, cancellation);
        await using var session = store.LightweightSession();
        session.Insert(new StripeCustomerLink { Id = clientId, CustomerId = customer.Id, CreatedAt = clock.GetUtcNow() });
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (DocumentAlreadyExistsException)
        {
            await using var read = store.QuerySession();
            return (await read.LoadAsync<StripeCustomerLink>(clientId, cancellation))!.CustomerId;
        }
        return customer.Id;
    }

    private static GatewayDecline Decline(StripeError error) => error.Code switch
    {
        "authentication_required" => new("authentication_required", AuthenticationRequiredMessage),
        "expired_card" => new("expired_card", DeclineMessages.For("expired_card")!),
        _ => new(error.DeclineCode ?? error.Code ?? "card_declined",
            string.IsNullOrWhiteSpace(error.Message) ? DeclineMessages.Generic : error.Message),
    };
}

/// <summary>The client's Stripe Customer: one per client, made the first time they open the card form.</summary>
public sealed class StripeCustomerLink
{
    /// <summary>The client id.</summary>
    public Guid Id { get; set; }
    public string CustomerId { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The module's customer token for a Stripe card: "cus_…/pm_…".</summary>
internal static class CustomerToken
{
    public static string Of(string customer, string paymentMethod) => $"{customer}/{paymentMethod}";

    public static (string Customer, string PaymentMethod) Parse(string token) =>
        token.Split('/') is [var customer, var paymentMethod] ? (customer, paymentMethod)
            : throw new InvalidOperationException("The card on file is not a Stripe card.");

    public static string PaymentMethodOf(string token) => token.Split('/') is [_, var paymentMethod] ? paymentMethod : token;
}

internal static class StripeCards
{
    /// <summary>
    /// How the card is funded. Stripe's <c>funding</c> is credit, debit, prepaid or unknown: an FSA or HSA card is a
    /// debit or prepaid card to it, and no documented field says "health spending". The issuer number (<c>iin</c>,
    /// which Stripe sends only to accounts it enables it for) against the practice's BIN lists is the one sign.
    /// </summary>
    public static CardFunding Funding(PaymentMethodCard card, StripeSettings settings)
    {
        if (card.Iin is { Length: >= 6 } iin)
        {
            if (settings.FsaBins.Any(bin => iin.StartsWith(bin, StringComparison.Ordinal))) return CardFunding.Fsa;
            if (settings.HsaBins.Any(bin => iin.StartsWith(bin, StringComparison.Ordinal))) return CardFunding.Hsa;
        }
        return card.Funding switch
        {
            "debit" => CardFunding.Debit,
            "prepaid" => CardFunding.Prepaid,
            _ => CardFunding.Credit,
        };
    }

    /// <summary>Stripe's brand codes as the portal names them elsewhere (the sandbox, emails, pages).</summary>
    public static string BrandName(string? brand) => brand switch
    {
        "visa" => "Visa",
        "mastercard" => "Mastercard",
        "amex" => "American Express",
        "discover" => "Discover",
        "diners" => "Diners Club",
        "jcb" => "JCB",
        "unionpay" => "UnionPay",
        "cartes_bancaires" => "Cartes Bancaires",
        _ => "Card",
    };
}
