using Portal.Autopay.Accounts;
using Portal.Autopay.Gateway;

namespace Portal.Autopay.Enrolment;

/// <summary>
/// A client saves a card for autopay. <see cref="CardToken"/> is the sandbox (or real) processor's single-use token
/// for the card; the number itself never reaches this endpoint. Enrolling requires agreeing to the current
/// authorization text (<see cref="ConsentVersion"/>); the version, time and IP address are kept.
/// </summary>
public sealed record EnrolInAutopayRequest(string? CardToken, string? CardholderName, string? BillingPostalCode, string? ConsentVersion,
    bool AgreedToAuthorization) : CardForm(CardToken, CardholderName, BillingPostalCode, ConsentVersion, AgreedToAuthorization);

internal sealed class EnrolInAutopayRequestValidator : CardFormValidator<EnrolInAutopayRequest>;

public static class EnrolInAutopayEndpoint
{
    [WolverinePost("/api/autopay/enrolment")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> Post(EnrolInAutopayRequest request, IDocumentSession session, IPaymentGateway gateway,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await EnrolInAutopay.ExecuteAsync(request, session, gateway, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class EnrolInAutopay
{
    public static async Task<(Outcome<AutopayView>, OutgoingMessages)> ExecuteAsync(EnrolInAutopayRequest request, IDocumentSession session,
        IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var opened = await CardOnFile.OpenAsync(session, http, cancellation);
        if (!opened.Succeeded) return (opened.Refusal, []);
        var autopay = opened.Value;
        if (autopay.Stream.Aggregate is { Status: AutopayStatus.Active or AutopayStatus.Suspended })
            return (CardOnFile.Refused(StatusCodes.Status409Conflict,
                "You are already enrolled in autopay. To use another card, change the card on file.", "already_enrolled"), []);

        var card = await CardOnFile.SaveAsync(gateway, autopay.Client.Id, request, cancellation);
        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "autopay.enrol", nameof(AutopayAccount), autopay.StreamId.ToString(), autopay.Client.Id,
            card.Succeeded ? "enrolled" : CardOnFile.CodeOf(card.Refusal));
        if (!card.Succeeded) return (card.Refusal, []);

        var client = autopay.Client;
        var enrolled = new AutopayEnrolled(client.Id, client.ProviderId, card.Value, CardOnFile.Consent(http, now), autopay.Actor, now);
        autopay.Stream.AppendOne(enrolled);
        var account = autopay.Stream.Aggregate ?? new AutopayAccount { Id = autopay.StreamId };
        account.Apply(enrolled);
        return (autopay.ViewAfter(account),
            [CardOnFile.Changed(autopay, client.ProviderId, AutopayChange.Enrolled, now), .. CardOnFile.ExpiryChecks(client.Id, card.Value, now)]);
    }
}
