using Portal.Autopay.Accounts;
using Portal.Autopay.Charges;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Roster;

namespace Portal.Autopay.Console;

/// <summary>One line of a client's autopay history, from the module's events.</summary>
internal sealed record AutopayHistoryLine(DateTimeOffset At, string What, string By);

internal sealed record ClientAutopayView(AutopayView Autopay, IReadOnlyList<AutopayHistoryLine> History, IReadOnlyList<ChargeView> Charges);

/// <summary>A provider's (or support's) view of one client's autopay: status, Last Updated, history and charges.</summary>
public static class GetClientAutopayEndpoint
{
    [WolverineGet("/api/autopay/clients/{clientId}")]
    [Authorize(Policy = PortalPolicies.BillingOrSupport)]
    public static async Task<IResult> Get(
        Guid clientId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var view = await ClientAutopay.ReadAsync(clientId, session, clock, http, cancellation);
        return view.ToResult(http);
    }
}

internal static class ClientAutopay
{
    /// <summary>Refused (404) when the client does not exist or the caller may not see them. Records the read in the audit log.</summary>
    public static async Task<Outcome<ClientAutopayView>> ReadAsync(
        Guid clientId, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User);
        var client = await session.LoadAsync<AutopayClient>(clientId, cancellation);
        if (user is { IsProvider: true, HandlesBilling: false })
        {
            Audit.Record(session, http, clock, "autopay.read", nameof(AutopayAccount), null, clientId, "denied");
            return Refusal.Forbidden("Not allowed.", "Autopay is shown to the practice's owner, clinicians and biller.");
        }
        if (user is null || client is null || !client.IsVisibleTo(user))
        {
            Audit.Record(session, http, clock, "autopay.read", nameof(AutopayAccount), null, clientId, "denied");
            return new Refusal(StatusCodes.Status404NotFound, "No such client.");
        }

        var streamId = AutopayStream.For(clientId);
        var account = await session.LoadAsync<AutopayAccount>(streamId, cancellation);
        var events = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        var charges = await session.Query<AutopayCharge>()
            .Where(c => c.ClientId == clientId)
            .OrderByDescending(c => c.RequestedAt)
            .Take(20)
            .ToListAsync(cancellation);
        Audit.Record(session, http, clock, "autopay.read", nameof(AutopayAccount), streamId.ToString(), clientId);

        var history = events
            .Select(e => Describe(e.Data))
            .OfType<AutopayHistoryLine>()
            .Reverse()
            .ToList();
        return new ClientAutopayView(AutopayView.From(clientId, account, events.Count == 0 ? 0 : events[^1].Version), history,
            charges.Select(ChargeView.From).ToList());
    }

    private static AutopayHistoryLine? Describe(object data) => data switch
    {
        AutopayEnrolled e => new(
            e.At, $"Enrolled in autopay with {e.Card.Describe()} (authorization {e.Consent.Version} agreed)", e.Actor.DisplayName),
        AutopayCardUpdated e => new(e.At, $"Card changed to {e.Card.Describe()} (authorization {e.Consent.Version} agreed)", e.Actor.DisplayName),
        AutopayCancelled e => new(e.At, "Autopay cancelled", e.Actor.DisplayName),
        AutopaySuspended e => new(e.At, $"Autopay suspended: {e.Reason}", "Autopay"),
        AutopayChargeSucceeded e => new(e.At, $"Charge of {Money(e.AmountCents)} succeeded (attempt {e.Attempt})", "Autopay"),
        AutopayChargeFailed e => new(e.At, $"Charge of {Money(e.AmountCents)} declined (attempt {e.Attempt}): {e.Reason}", "Autopay"),
        AutopayChargeRefunded e => new(e.At, $"Charge refunded: {Money(e.AmountCents)} ({e.Reason})", e.Actor.DisplayName),
        AutopayChargeDisputed e => new(e.At, $"Charge of {Money(e.AmountCents)} disputed by the cardholder's bank ({e.Reason})", "Stripe"),
        AutopayCardRefreshed e => new(e.At, $"Card details updated by the processor: {e.Card.Describe()}", "Stripe"),
        AutopayCardRemovedAtProcessor e => new(e.At, $"Autopay suspended: {e.Reason}", "Stripe"),
        AutopayCardExpiryReminded e => new(e.At, $"Client reminded that the card expires on {PortalTime.Date(e.ExpiresOn)}", "Autopay"),
        _ => null,
    };

    public static string Money(long cents) => (cents / 100m).ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-US"));
}
