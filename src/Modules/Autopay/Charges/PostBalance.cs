using JasperFx;
using Portal.BuildingBlocks.Data;
using Portal.Autopay.Accounts;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Gateway;
using Portal.Autopay.Roster;

namespace Portal.Autopay.Charges;

/// <summary>
/// A balance posted for a client, by their provider or by an integration acting for them, to be charged to the card on
/// file. <see cref="IdempotencyKey"/> identifies the request: the same key for the same client never charges twice,
/// and repeating the request answers with the first result.
/// </summary>
public sealed record PostBalanceRequest(long AmountCents, string? Description, string? IdempotencyKey);

internal sealed class PostBalanceRequestValidator : AbstractValidator<PostBalanceRequest>
{
    public const long MaximumCents = 1_000_000;

    public PostBalanceRequestValidator()
    {
        RuleFor(r => r.AmountCents).InclusiveBetween(50, MaximumCents)
            .WithMessage("The amount must be between $0.50 and $10,000.00 (in cents: 50 to 1000000).");
        RuleFor(r => r.Description).MaximumLength(200).WithMessage("The description can be at most 200 characters.");
        RuleFor(r => r.IdempotencyKey).NotEmpty().WithMessage("Send an idempotency key that identifies this charge request.")
            .Matches("^[A-Za-z0-9._:-]{1,100}$").WithMessage("The idempotency key must be 1 to 100 letters, digits, '.', '_', ':' or '-'.");
    }
}

public static class PostBalanceEndpoint
{
    [WolverinePost("/api/autopay/clients/{clientId}/charges")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid clientId, PostBalanceRequest request, IDocumentSession session,
        IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await PostBalance.ExecuteAsync(clientId, request, session, gateway, clock, http, cancellation);
        return (outcome.ToResult(http, posted =>
        {
            if (!posted.Replayed)
                return Results.Created(
                    $"/api/autopay/clients/{clientId}/charges/{Uri.EscapeDataString(posted.Charge.IdempotencyKey)}", ChargeView.From(posted.Charge));
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Ok(ChargeView.From(posted.Charge));
        }), messages);
    }
}

/// <summary>The charge a request posted, or the earlier one its idempotency key already posted (<see cref="Replayed"/>).</summary>
internal sealed record PostedCharge(AutopayCharge Charge, bool Replayed);

internal static class PostBalance
{
    public static async Task<(Outcome<PostedCharge>, OutgoingMessages)> ExecuteAsync(Guid clientId, PostBalanceRequest request,
        IDocumentSession session, IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User)!;
        // A client just added may not be in this copy yet: wait for it (RosterArrival) rather than say it does not exist.
        var client = await RosterArrival.CardAsync<AutopayClient>(session, clientId, cancellation);
        if (client is null || !client.IsVisibleTo(user))
            return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);
        if (client.Discharged)
            return (CardOnFile.Refused(StatusCodes.Status409Conflict,
                "This client was discharged, so autopay takes no new charges. Re-open the client first.", "client_discharged"), []);

        var chargeId = AutopayCharge.IdFor(clientId, request.IdempotencyKey!);
        if (await session.LoadAsync<AutopayCharge>(chargeId, cancellation) is { } earlier)
            return (Replay(earlier, request, session, clock, http), []);

        var account = await session.LoadAsync<AutopayAccount>(AutopayStream.For(clientId), cancellation);
        if (account is not { IsActive: true })
            return (CardOnFile.Refused(StatusCodes.Status409Conflict,
                account?.Status == AutopayStatus.Suspended
                    ? "Autopay is suspended for this client until they update their card, so the balance was not charged."
                    : "This client is not enrolled in autopay, so the balance was not charged.",
                "autopay_not_active"), []);

        var charge = new AutopayCharge
        {
            Id = chargeId,
            ClientId = clientId,
            ProviderId = client.ProviderId,
            IdempotencyKey = request.IdempotencyKey!,
            AmountCents = request.AmountCents,
            Description = request.Description?.Trim() ?? string.Empty,
            RequestedBy = user.AsActor(),
            RequestedAt = clock.GetUtcNow(),
            Status = AutopayChargeStatus.Pending,
        };

        // Claim the key in the database before any money moves: the primary key refuses a second claim.
        session.Insert(charge);
        Audit.Record(session, http, clock, "autopay.charge", nameof(AutopayCharge), chargeId, clientId, "requested");
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (DocumentAlreadyExistsException)
        {
            session.EjectAllPendingChanges();
            var winner = await session.LoadAsync<AutopayCharge>(chargeId, cancellation);
            return (Replay(winner!, request, session, clock, http), []);
        }

        var messages = await ChargeAttempts.AttemptAsync(charge, session, gateway, clock, cancellation);
        return (new PostedCharge(charge, Replayed: false), messages);
    }

    private static Outcome<PostedCharge> Replay(AutopayCharge earlier, PostBalanceRequest request, IDocumentSession session, TimeProvider clock,
        HttpContext http)
    {
        Audit.Record(session, http, clock, "autopay.charge", nameof(AutopayCharge), earlier.Id, earlier.ClientId, "replayed");
        return earlier.AmountCents == request.AmountCents
            ? new PostedCharge(earlier, Replayed: true)
            : CardOnFile.Refused(StatusCodes.Status409Conflict,
                "This idempotency key was already used for a charge of another amount. Use a new key for a new charge.", "idempotency_key_reused");
    }
}
