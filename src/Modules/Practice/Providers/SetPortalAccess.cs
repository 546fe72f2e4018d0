using Portal.Practice.Roster;

namespace Portal.Practice.Providers;

/// <summary>
/// Support switches the portal on (or off) for a provider. Every client of the provider without a per-client
/// override follows the switch, so each of them is republished with its new eligibility.
/// </summary>
public sealed record SetPortalAccessRequest(bool Enabled);

internal sealed record PortalAccessSet(Guid ProviderId, bool Enabled, int ClientsAffected);

public static class SetPortalAccessEndpoint
{
    [WolverinePut("/api/support/providers/{providerId}/portal-access")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Put(
        Guid providerId, SetPortalAccessRequest request, IDocumentSession session, HttpContext http)
    {
        var (outcome, messages) = await SetPortalAccess.ExecuteAsync(providerId, request, session);
        return (outcome.ToResult(http), messages);
    }
}

internal static class SetPortalAccess
{
    public static async Task<(Outcome<PortalAccessSet>, OutgoingMessages)> ExecuteAsync(Guid providerId, SetPortalAccessRequest request,
        IDocumentSession session)
    {
        var provider = await session.LoadAsync<RosterProvider>(providerId);
        if (provider is null) return (new Refusal(StatusCodes.Status404NotFound, "No such provider."), []);

        var messages = new OutgoingMessages();
        if (provider.PortalEnabled != request.Enabled)
        {
            provider.PortalEnabled = request.Enabled;
            messages.Add(provider.Changed());
            session.Store(provider);
        }

        var clients = await session.Query<RosterClient>().Where(c => c.ProviderId == providerId).ToListAsync();
        var affected = 0;
        foreach (var client in clients.Where(c => c.ProviderPortalEnabled != request.Enabled))
        {
            var wasEligible = client.Eligible;
            client.ProviderPortalEnabled = request.Enabled;
            if (wasEligible != client.Eligible) affected++;
            messages.Add(client.Changed());
            session.Store(client);
        }

        return (new PortalAccessSet(providerId, request.Enabled, affected), messages);
    }
}
