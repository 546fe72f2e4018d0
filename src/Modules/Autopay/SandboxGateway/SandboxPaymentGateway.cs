using JasperFx;
using Portal.Autopay.Gateway;

namespace Portal.Autopay.SandboxGateway;

/// <summary>
/// The in-app sandbox processor. It keeps its vault in its own schema and commits its own sessions, as a remote
/// processor would: nothing it stores goes through the Autopay module's session or tables.
/// </summary>
[Portal.BuildingBlocks.Modules.RegisteredByModule]
internal sealed class SandboxPaymentGateway(IDocumentStore store, TimeProvider clock) : IPaymentGateway
{
    public GatewayBrowserSettings BrowserSettings { get; } = new(TokenizeCardEndpoint.Route, IsSandbox: true);

    public Task<CardEntry> BeginCardEntryAsync(Guid clientId, CancellationToken cancellation) => Task.FromResult(new CardEntry(null));

    public async Task<CustomerTokenResult> CreateCustomerTokenAsync(
        Guid clientId, string cardToken, string cardholderName, string billingPostalCode, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var token = await session.LoadAsync<SandboxCardToken>(cardToken, cancellation);
        var now = clock.GetUtcNow();
        if (token is null || token.UsedAt is not null || now - token.CreatedAt > TokenizeCardEndpoint.TokenLifetime
            || (token.ClientId is { } owner && owner != clientId))
            return CustomerTokenResult.Declined("invalid_token", "Your card details have expired. Please enter your card again.");

        token.UsedAt = now;
        session.Store(token);
        if (CardExpiry.HasExpired(token.ExpMonth, token.ExpYear, now))
        {
            await session.SaveChangesAsync(cancellation);
            return CustomerTokenResult.Declined(TestCards.ExpiredCard.Code, TestCards.ExpiredCard.Message);
        }
        if (token.VerifyDecline is { } decline)
        {
            await session.SaveChangesAsync(cancellation);
            return new CustomerTokenResult(null, decline);
        }

        var customer = new SandboxCustomer
        {
            Id = SandboxIds.New("cus"),
            Brand = token.Brand,
            Last4 = token.Last4,
            ExpMonth = token.ExpMonth,
            ExpYear = token.ExpYear,
            Funding = token.Funding,
            ChargeDecline = token.ChargeDecline,
            CreatedAt = now,
        };
        session.Insert(customer);
        await session.SaveChangesAsync(cancellation);
        return CustomerTokenResult.Verified(
            new GatewayCard(customer.Id, customer.Brand, customer.Last4, customer.ExpMonth, customer.ExpYear, customer.Funding));
    }

    public async Task<GatewayChargeResult> ChargeAsync(
        string customerToken, long amountCents, string currency, string idempotencyKey, CancellationToken cancellation)
    {
        await using (var read = store.QuerySession())
        {
            if (await read.LoadAsync<SandboxCharge>(idempotencyKey, cancellation) is { } earlier)
                return new GatewayChargeResult(earlier.Reference, earlier.Decline);
        }

        await using var session = store.LightweightSession();
        var customer = await session.LoadAsync<SandboxCustomer>(customerToken, cancellation);
        var now = clock.GetUtcNow();
        var decline = customer switch
        {
            null or { RemovedAt: not null } =>
                new GatewayDecline("invalid_customer", "The card on file is no longer available. Please add your card again."),
            _ when CardExpiry.HasExpired(customer.ExpMonth, customer.ExpYear, now) => TestCards.ExpiredCard,
            _ => customer.ChargeDecline,
        };
        var charge = new SandboxCharge
        {
            Id = idempotencyKey,
            Reference = SandboxIds.New("ch"),
            CustomerId = customerToken,
            AmountCents = amountCents,
            Currency = currency,
            Decline = decline,
            CreatedAt = now,
        };
        session.Insert(charge);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (DocumentAlreadyExistsException)
        {
            // A concurrent request with the same key won the insert: its result is the result.
            await using var read = store.QuerySession();
            var winner = await read.LoadAsync<SandboxCharge>(idempotencyKey, cancellation);
            return new GatewayChargeResult(winner!.Reference, winner.Decline);
        }
        return new GatewayChargeResult(charge.Reference, charge.Decline);
    }

    public async Task<GatewayRefundResult> RefundAsync(
        string chargeReference, long amountCents, string idempotencyKey, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<SandboxRefund>(idempotencyKey, cancellation) is { } earlier)
            return new GatewayRefundResult(earlier.Reference, null);
        var charge = await session.Query<SandboxCharge>().FirstOrDefaultAsync(c => c.Reference == chargeReference, cancellation);
        if (charge is not { Decline: null })
            return new GatewayRefundResult(null, new GatewayDecline("charge_not_found", "The processor has no such paid charge to refund."));
        var refunded = await session.Query<SandboxRefund>().Where(r => r.ChargeReference == chargeReference)
            .SumAsync(r => r.AmountCents, cancellation);
        if (refunded + amountCents > charge.AmountCents)
            return new GatewayRefundResult(null,
                new GatewayDecline("amount_too_large", "The refund is larger than what is left of the charge."));
        var refund = new SandboxRefund
        {
            Id = idempotencyKey,
            Reference = SandboxIds.New("re"),
            ChargeReference = chargeReference,
            AmountCents = amountCents,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Insert(refund);
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (DocumentAlreadyExistsException)
        {
            await using var read = store.QuerySession();
            return new GatewayRefundResult((await read.LoadAsync<SandboxRefund>(idempotencyKey, cancellation))!.Reference, null);
        }
        return new GatewayRefundResult(refund.Reference, null);
    }

    public async Task RemoveCustomerTokenAsync(string customerToken, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        var customer = await session.LoadAsync<SandboxCustomer>(customerToken, cancellation);
        if (customer is null || customer.RemovedAt is not null) return;
        customer.RemovedAt = clock.GetUtcNow();
        session.Store(customer);
        await session.SaveChangesAsync(cancellation);
    }
}
