using Portal.BuildingBlocks.Localization;
using Portal.Autopay.Accounts;
using Portal.Autopay.Charges;

namespace Portal.Autopay.Enrolment;

/// <summary>The signed-in client's autopay: status, the card on file (brand, last 4, expiry), and the authorization to agree to.</summary>
public static class GetMyAutopayEndpoint
{
    [WolverineGet("/api/autopay")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var client = await CardOnFile.SignedInClientAsync(session, http, cancellation);
        if (!client.Succeeded) return client.Refusal.ToProblem(http);
        var view = await GetMyAutopay.ExecuteAsync(session, clock, http, client.Value.Id, cancellation);
        var payments = await GetMyAutopay.PaymentsAsync(session, client.Value.Id, cancellation);
        return Results.Ok(new
        {
            autopay = view,
            payments,
            authorization = new { version = AutopayAuthorization.Version, text = AutopayAuthorization.TextFor(ClientText.For(http)), language = PortalLanguages.Current },
        });
    }
}

internal static class GetMyAutopay
{
    /// <summary>Reads one client's autopay and records the read in the audit log.</summary>
    public static async Task<AutopayView> ExecuteAsync(
        IDocumentSession session, TimeProvider clock, HttpContext http, Guid clientId, CancellationToken cancellation)
    {
        var streamId = AutopayStream.For(clientId);
        var account = await session.LoadAsync<AutopayAccount>(streamId, cancellation);
        var state = await session.Events.FetchStreamStateAsync(streamId, cancellation);
        Audit.Record(session, http, clock, "autopay.read", nameof(AutopayAccount), streamId.ToString(), clientId);
        return AutopayView.From(clientId, account, state?.Version ?? 0);
    }

    /// <summary>The client's payment history, newest first: what was charged, when, to which card, and what was refunded.</summary>
    public static async Task<IReadOnlyList<PaymentView>> PaymentsAsync(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var charges = await session.Query<AutopayCharge>()
            .Where(c => c.ClientId == clientId && c.Attempts > 0)
            .OrderByDescending(c => c.RequestedAt)
            .Take(50)
            .ToListAsync(cancellation);
        return charges.Select(c => new PaymentView(c.SettledAt ?? c.RequestedAt, c.AmountCents, c.Currency,
            c.Status switch
            {
                AutopayChargeStatus.Succeeded => c.RefundedCents >= c.AmountCents ? "Refunded" : c.RefundedCents > 0 ? "PartlyRefunded" : "Paid",
                AutopayChargeStatus.Failed => "Declined",
                AutopayChargeStatus.NotCollected => "NotCollected",
                _ => "Pending",
            }, c.CardBrand, c.CardLast4, c.RefundedCents)).ToList();
    }
}

/// <summary>One line of the client's payment history (their receipt): never the description the practice wrote.</summary>
internal sealed record PaymentView(DateTimeOffset At, long AmountCents, string Currency, string Status, string? CardBrand, string? Last4,
    long RefundedCents);

/// <summary>
/// What the card form needs before the client enters a card: for Stripe, the publishable key and a SetupIntent's client
/// secret for the Payment Element; for the sandbox, its tokenization URL.
/// </summary>
public static class BeginCardEntryEndpoint
{
    [WolverinePost("/api/autopay/card-entry")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(IDocumentSession session, Gateway.IPaymentGateway gateway, HttpContext http,
        CancellationToken cancellation)
    {
        var client = await CardOnFile.SignedInClientAsync(session, http, cancellation);
        if (!client.Succeeded) return client.Refusal.ToProblem(http);
        var entry = await gateway.BeginCardEntryAsync(client.Value.Id, cancellation);
        if (entry.Unavailable)
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The payment processor cannot be reached just now. Please try again in a few minutes.");
        var browser = gateway.BrowserSettings;
        return Results.Ok(browser.IsStripe
            ? new { provider = "Stripe", publishableKey = browser.StripePublishableKey, clientSecret = entry.ClientSecret, tokenizationUrl = (string?)null }
            : new { provider = "Sandbox", publishableKey = (string?)null, clientSecret = (string?)null, tokenizationUrl = browser.TokenizationUrl });
    }
}
