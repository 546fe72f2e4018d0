using Portal.Autopay.Accounts;

namespace Portal.Autopay.Enrolment;

/// <summary>A client cancels autopay; the card is removed at the processor. <see cref="Version"/> as for a card change.</summary>
public sealed record CancelAutopayRequest(long? Version);

public static class CancelAutopayEndpoint
{
    [WolverinePost("/api/autopay/cancellation")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<(IResult, OutgoingMessages)> Post(CancelAutopayRequest request, IDocumentSession session, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        var (outcome, messages) = await CancelAutopay.ExecuteAsync(request, session, clock, http, cancellation);
        return (outcome.ToResult(http), messages);
    }
}

internal static class CancelAutopay
{
    public static async Task<(Outcome<AutopayView>, OutgoingMessages)> ExecuteAsync(CancelAutopayRequest request, IDocumentSession session,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var opened = await CardOnFile.OpenEnrolledAsync(
            session, http, request.Version, "Autopay is not active, so there is nothing to cancel.", cancellation);
        if (!opened.Succeeded) return (opened.Refusal, []);
        var autopay = opened.Value;
        var account = autopay.Stream.Aggregate!;
        var card = account.Card!;
        var now = clock.GetUtcNow();
        var cancelled = new AutopayCancelled(autopay.Client.Id, autopay.Actor, now);
        autopay.Stream.AppendOne(cancelled);
        Audit.Record(session, http, clock, "autopay.cancel", nameof(AutopayAccount), autopay.StreamId.ToString(), autopay.Client.Id, "cancelled");
        account.Apply(cancelled);
        return (autopay.ViewAfter(account),
            [CardOnFile.Changed(autopay, account.ProviderId, AutopayChange.Cancelled, now), new RemoveReplacedCard(card.CustomerToken)]);
    }
}
