using Portal.Autopay.Accounts;

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
        return Results.Ok(new { autopay = view, authorization = new { version = AutopayAuthorization.Version, text = AutopayAuthorization.Text } });
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
}
