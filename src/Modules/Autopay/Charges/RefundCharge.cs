using Portal.Autopay.Accounts;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Gateway;
using Portal.Autopay.Roster;

namespace Portal.Autopay.Charges;

/// <summary>
/// The practice's biller or a clinician refunds part or all of a paid charge, with a reason (kept in the portal and
/// the audit log; the processor gets only the amount). <see cref="IdempotencyKey"/> identifies the refund request:
/// repeating it answers with the first result and refunds nothing more. <see cref="ClientReason"/> is what the
/// client's email says (<c>duplicate</c>, <c>requested_by_client</c>, <c>billing_correction</c> or <c>other</c>, the
/// default); the free-text <see cref="Reason"/> never leaves the practice.
/// </summary>
public sealed record RefundChargeRequest(long AmountCents, string? Reason, string? IdempotencyKey)
{
    public string? ClientReason { get; init; }
}

internal sealed class RefundChargeRequestValidator : AbstractValidator<RefundChargeRequest>
{
    public RefundChargeRequestValidator()
    {
        RuleFor(r => r.AmountCents).InclusiveBetween(1, PostBalanceRequestValidator.MaximumCents)
            .WithMessage("The refund must be between $0.01 and $10,000.00 (in cents: 1 to 1000000).");
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Say why the charge is refunded.")
            .MaximumLength(300).WithMessage("The reason can be at most 300 characters.");
        RuleFor(r => r.IdempotencyKey).NotEmpty().WithMessage("Send an idempotency key that identifies this refund request.")
            .Matches("^[A-Za-z0-9._:-]{1,100}$").WithMessage("The idempotency key must be 1 to 100 letters, digits, '.', '_', ':' or '-'.");
        RuleFor(r => r.ClientReason).Must(r => r is null || RefundReasons.Parse(r) is not null)
            .WithMessage("The reason for the client must be duplicate, requested_by_client, billing_correction or other.");
    }
}

/// <summary>The reasons a client's refund email can give, by the codes the API and the page send.</summary>
internal static class RefundReasons
{
    public static readonly IReadOnlyDictionary<string, AutopayRefundReason> ByCode = new Dictionary<string, AutopayRefundReason>
    {
        ["duplicate"] = AutopayRefundReason.Duplicate,
        ["requested_by_client"] = AutopayRefundReason.RequestedByClient,
        ["billing_correction"] = AutopayRefundReason.BillingCorrection,
        ["other"] = AutopayRefundReason.Other,
    };

    public static AutopayRefundReason? Parse(string? code) =>
        code is null ? AutopayRefundReason.Other : ByCode.TryGetValue(code, out var reason) ? reason : null;
}

public static class RefundChargeEndpoint
{
    [WolverinePost("/api/autopay/clients/{clientId}/charges/{chargeKey}/refunds")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, string chargeKey, RefundChargeRequest request,
        IDocumentSession session, IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await RefundCharge.ExecuteAsync(clientId, chargeKey, request, session, gateway, clock, http, cancellation);
        return (outcome.ToResult(http, refunded =>
        {
            if (refunded.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Json(ChargeView.From(refunded.Charge),
                statusCode: refunded.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }), messages);
    }
}

internal sealed record RefundedCharge(AutopayCharge Charge, bool Replayed);

internal static class RefundCharge
{
    public static async Task<(Outcome<RefundedCharge>, OutgoingMessages)> ExecuteAsync(Guid clientId, string chargeKey,
        RefundChargeRequest request, IDocumentSession session, IPaymentGateway gateway, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        var client = await session.LoadAsync<AutopayClient>(clientId, cancellation);
        if (client is null || !client.IsVisibleTo(user) || !user.HandlesBilling)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), null, clientId, "denied");
            return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);
        }

        // Two refunds of one client at once take turns: the client's autopay stream is locked (FOR UPDATE) until this
        // session commits, and the charge is read after the lock, so the second sees the first's refund and can never
        // take the total past what was paid. The processor is asked only while the lock is held.
        var stream = await session.Events.FetchForExclusiveWriting<AutopayAccount>(AutopayStream.For(clientId), cancellation);
        var charge = await session.LoadAsync<AutopayCharge>(AutopayCharge.IdFor(clientId, chargeKey), cancellation);
        if (charge is null) return (Refusal.NotFound("charge"), []);

        var key = request.IdempotencyKey!;
        if (charge.Refunds.FirstOrDefault(r => r.Key == key) is { } earlier)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, "replayed");
            return (earlier.AmountCents == request.AmountCents
                ? new RefundedCharge(charge, Replayed: true)
                : CardOnFile.Refused(StatusCodes.Status409Conflict,
                    "This idempotency key was already used for a refund of another amount. Use a new key for a new refund.",
                    "idempotency_key_reused"), []);
        }
        if (charge.Status != AutopayChargeStatus.Succeeded || charge.GatewayReference is null)
            return (CardOnFile.Refused(StatusCodes.Status409Conflict, "Only a paid charge can be refunded.", "charge_not_paid"), []);
        if (request.AmountCents > charge.RefundableCents)
        {
            // What is left depends on the refunds made before this one (perhaps a moment ago): a conflict with the
            // charge's state, answered with the amount still refundable.
            var left = $"At most {Console.ClientAutopay.Money(charge.RefundableCents)} of this charge is left to refund.";
            return (new Refusal(StatusCodes.Status409Conflict, left,
                Errors: new Dictionary<string, string[]> { ["amountCents"] = [left] }).With("code", "refund_exceeds_remaining"), []);
        }

        var result = await gateway.RefundAsync(charge.GatewayReference, request.AmountCents, $"{charge.Id}#refund#{key}", cancellation);
        var now = clock.GetUtcNow();
        if (result.Decline is { } decline)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, decline.Code);
            return (CardOnFile.Refused(StatusCodes.Status409Conflict, decline.Message, decline.Code), []);
        }

        var reason = request.Reason!.Trim();
        charge.Refunds.Add(new ChargeRefund(key, request.AmountCents, reason, user.AsActor(), now, result.RefundReference));
        session.Store(charge);
        stream.AppendOne(new AutopayChargeRefunded(clientId, charge.Id, request.AmountCents, reason, user.AsActor(), now));
        Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, "refunded");
        return (new RefundedCharge(charge, Replayed: false),
            [Refunded(charge, request.AmountCents, RefundReasons.Parse(request.ClientReason) ?? AutopayRefundReason.Other, now)]);
    }

    /// <summary>What Notifications needs for the client's refund email: never the practice's note or the description.</summary>
    public static AutopayPaymentRefunded Refunded(AutopayCharge charge, long amountCents, AutopayRefundReason reason, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), charge.ClientId, charge.ProviderId, charge.Id, amountCents, charge.Currency, charge.CardBrand ?? "Card",
            charge.CardLast4 ?? "", reason, at);
}
