using Portal.Autopay.Accounts;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Gateway;
using Portal.Autopay.Roster;

namespace Portal.Autopay.Charges;

/// <summary>
/// The practice's biller or a clinician refunds part or all of a paid charge, with a reason (kept in the portal and
/// the audit log; the processor gets only the amount). <see cref="IdempotencyKey"/> identifies the refund request:
/// repeating it answers with the first result and refunds nothing more.
/// </summary>
public sealed record RefundChargeRequest(long AmountCents, string? Reason, string? IdempotencyKey);

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
    }
}

public static class RefundChargeEndpoint
{
    [WolverinePost("/api/autopay/clients/{clientId}/charges/{chargeKey}/refunds")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<IResult> Post(Guid clientId, string chargeKey, RefundChargeRequest request, IDocumentSession session,
        IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var outcome = await RefundCharge.ExecuteAsync(clientId, chargeKey, request, session, gateway, clock, http, cancellation);
        return outcome.ToResult(http, refunded =>
        {
            if (refunded.Replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Json(ChargeView.From(refunded.Charge),
                statusCode: refunded.Replayed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        });
    }
}

internal sealed record RefundedCharge(AutopayCharge Charge, bool Replayed);

internal static class RefundCharge
{
    public static async Task<Outcome<RefundedCharge>> ExecuteAsync(Guid clientId, string chargeKey, RefundChargeRequest request,
        IDocumentSession session, IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        var client = await session.LoadAsync<AutopayClient>(clientId, cancellation);
        if (client is null || !client.IsVisibleTo(user) || !user.HandlesBilling)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), null, clientId, "denied");
            return new Refusal(StatusCodes.Status404NotFound, "No such client.");
        }
        var charge = await session.LoadAsync<AutopayCharge>(AutopayCharge.IdFor(clientId, chargeKey), cancellation);
        if (charge is null) return Refusal.NotFound("charge");

        var key = request.IdempotencyKey!;
        if (charge.Refunds.FirstOrDefault(r => r.Key == key) is { } earlier)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, "replayed");
            return earlier.AmountCents == request.AmountCents
                ? new RefundedCharge(charge, Replayed: true)
                : CardOnFile.Refused(StatusCodes.Status409Conflict,
                    "This idempotency key was already used for a refund of another amount. Use a new key for a new refund.",
                    "idempotency_key_reused");
        }
        if (charge.Status != AutopayChargeStatus.Succeeded || charge.GatewayReference is null)
            return CardOnFile.Refused(StatusCodes.Status409Conflict, "Only a paid charge can be refunded.", "charge_not_paid");
        if (request.AmountCents > charge.RefundableCents)
            return Refusal.Invalid("amountCents",
                $"At most {Console.ClientAutopay.Money(charge.RefundableCents)} of this charge is left to refund.");

        // Appending to the client's autopay stream makes two refunds of one client at once conflict (409), not both pass.
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(clientId), cancellation);
        var result = await gateway.RefundAsync(charge.GatewayReference, request.AmountCents, $"{charge.Id}#refund#{key}", cancellation);
        var now = clock.GetUtcNow();
        if (result.Decline is { } decline)
        {
            Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, decline.Code);
            return CardOnFile.Refused(StatusCodes.Status409Conflict, decline.Message, decline.Code);
        }

        var reason = request.Reason!.Trim();
        charge.Refunds.Add(new ChargeRefund(key, request.AmountCents, reason, user.AsActor(), now, result.RefundReference));
        session.Store(charge);
        stream.AppendOne(new AutopayChargeRefunded(clientId, charge.Id, request.AmountCents, reason, user.AsActor(), now));
        Audit.Record(session, http, clock, "autopay.refund", nameof(AutopayCharge), charge.Id, clientId, "refunded");
        return new RefundedCharge(charge, Replayed: false);
    }
}
