namespace Portal.Insurance.Payers;

public sealed record PayerItem(string Id, string Name);

/// <summary>The payer picker: GET /api/insurance/payers?q=blue. Signed-in clients and providers use it.</summary>
public static class SearchPayersEndpoint
{
    [WolverineGet("/api/insurance/payers")]
    [Authorize]
    public static PayerItem[] Get(string? q) =>
        PayerDirectory.Search(q is { Length: > 100 } ? q[..100] : q).Select(p => new PayerItem(p.Id, p.Name)).ToArray();
}
