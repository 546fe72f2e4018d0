using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>
/// Support overrides one client's eligibility: true opens the portal to them even when their provider's switch is
/// off, false closes it even when it is on, null makes them follow the provider again.
/// </summary>
public sealed record SetClientEligibilityRequest(bool? Override);

public static class SetClientEligibilityEndpoint
{
    [WolverinePut("/api/support/clients/{clientId}/eligibility")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Put(
        Guid clientId, SetClientEligibilityRequest request, IDocumentSession session, HttpContext http)
    {
        var (outcome, messages) = await SetClientEligibility.ExecuteAsync(clientId, request, session);
        return (outcome.ToResult(http), messages);
    }
}

internal static class SetClientEligibility
{
    public static async Task<(Outcome<ClientDetails>, OutgoingMessages)> ExecuteAsync(Guid clientId, SetClientEligibilityRequest request,
        IDocumentSession session)
    {
        var client = await session.LoadAsync<RosterClient>(clientId);
        if (client is null) return (new Refusal(StatusCodes.Status404NotFound, "No such client."), []);
        client.EligibilityOverride = request.Override;
        var changed = client.Changed();
        session.Store(client);
        return (GetClientEndpoint.ToDetails(client), [changed]);
    }
}
