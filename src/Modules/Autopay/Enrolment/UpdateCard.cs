using Portal.Autopay.Accounts;
using Portal.Autopay.Gateway;

namespace Portal.Autopay.Enrolment;

/// <summary>
/// A client replaces the card on file (also how suspended autopay is resumed). The new card needs the authorization
/// again. <see cref="Version"/>, when given, is the autopay version the client saw: a stale one is refused (409).
/// </summary>
public sealed record UpdateAutopayCardRequest(string? CardToken, string? CardholderName, string? BillingPostalCode, string? ConsentVersion,
    bool AgreedToAuthorization, long? Version) : CardForm(CardToken, CardholderName, BillingPostalCode, ConsentVersion, AgreedToAuthorization);

internal sealed class UpdateAutopayCardRequestValidator : CardFormValidator<UpdateAutopayCardRequest>;

/// <summary>After the change commits, the replaced card is removed at the processor.</summary>
public sealed record RemoveReplacedCard(string CustomerToken);

public static class UpdateAutopayCardEndpoint
{
    [WolverinePut("/api/autopay/card")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> Put(UpdateAutopayCardRequest request, IDocumentSession session, IPaymentGateway gateway,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await UpdateAutopayCard.ExecuteAsync(request, session, gateway, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

public static class RemoveReplacedCardHandler
{
    public static Task Handle(RemoveReplacedCard message, IPaymentGateway gateway, CancellationToken cancellation) =>
        gateway.RemoveCustomerTokenAsync(message.CustomerToken, cancellation);
}

internal static class UpdateAutopayCard
{
    public static async Task<(Outcome<AutopayView>, OutgoingMessages)> ExecuteAsync(UpdateAutopayCardRequest request, IDocumentSession session,
        IPaymentGateway gateway, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var opened = await CardOnFile.OpenEnrolledAsync(
            session, http, request.Version, "You are not enrolled in autopay. Enroll to save a card.", cancellation);
        if (!opened.Succeeded) return (opened.Refusal, []);
        var autopay = opened.Value;
        var account = autopay.Stream.Aggregate!;
        var oldCard = account.Card!;

        var card = await CardOnFile.SaveAsync(gateway, autopay.Client.Id, request, cancellation);
        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "autopay.card.update", nameof(AutopayAccount), autopay.StreamId.ToString(), autopay.Client.Id,
            card.Succeeded ? "updated" : CardOnFile.CodeOf(card.Refusal));
        if (!card.Succeeded) return (card.Refusal, []);

        var updated = new AutopayCardUpdated(autopay.Client.Id, card.Value, CardOnFile.Consent(http, now), autopay.Actor, now);
        autopay.Stream.AppendOne(updated);
        account.Apply(updated);
        return (autopay.ViewAfter(account),
        [
            CardOnFile.Changed(autopay, account.ProviderId, AutopayChange.CardUpdated, now),
            new RemoveReplacedCard(oldCard.CustomerToken),
            .. CardOnFile.ExpiryChecks(autopay.Client.Id, card.Value, now),
        ]);
    }
}
