using Portal.Integrations.Shared;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// The owner lists the practice's API clients, rotates a client's secret (the old secret and every token issued under
/// it stop working at once) or revokes the client (nothing of it works again). Another practice's client is a 404.
/// </summary>
[Authorize(Policy = PortalPolicies.Owner)]
public static class ManageApiClientEndpoints
{
    [WolverineGet("/api/console/integrations/api-clients")]
    [ProducesResponseType<ApiClientView[]>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        Results.Json(await ListAsync(CurrentUser.From(http.User)!, session));

    [WolverinePost("/api/console/integrations/api-clients/{apiClientId}/secret")]
    [ProducesResponseType<ApiClientCredentials>(StatusCodes.Status200OK)]
    [ProducesNotFound]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    public static async Task<IResult> Rotate(Guid apiClientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await RotateAsync(apiClientId, new(http, session, clock))).ToResult(http);

    [WolverinePost("/api/console/integrations/api-clients/{apiClientId}/revoke")]
    [ProducesResponseType<ApiClientView>(StatusCodes.Status200OK)]
    [ProducesNotFound]
    public static async Task<IResult> Revoke(Guid apiClientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await RevokeAsync(apiClientId, new(http, session, clock))).ToResult(http);

    internal static async Task<IReadOnlyList<ApiClientView>> ListAsync(CurrentUser owner, IQuerySession session)
    {
        var clients = await session.Query<ApiClient>().Where(c => c.PracticeId == owner.PracticeId)
            .OrderBy(c => c.CreatedAt).ToListAsync();
        return [.. clients.Select(c => c.ToView())];
    }

    internal static async Task<Outcome<ApiClientCredentials>> RotateAsync(Guid apiClientId, ManageContext context)
    {
        if (await context.OwnAsync<ApiClient>(apiClientId) is not { } client) return Refusal.NotFound("API client");
        if (client.Revoked) return Refusal.Conflict("The API client is revoked.", "Create a new API client instead.");

        var secret = ApiClientSecrets.New();
        client.SecretHash = ApiClientSecrets.Hash(secret);
        client.Generation++;
        client.RotatedAt = context.Clock.GetUtcNow();
        context.Session.Store(client);
        context.Audit("integrations.api-client.rotated", client);
        return new ApiClientCredentials(client.ToView(), client.ClientId, secret, ApiClientLimits.TokenEndpoint);
    }

    internal static async Task<Outcome<ApiClientView>> RevokeAsync(Guid apiClientId, ManageContext context)
    {
        if (await context.OwnAsync<ApiClient>(apiClientId) is not { } client) return Refusal.NotFound("API client");
        if (client.Revoked) return client.ToView();

        client.RevokedAt = context.Clock.GetUtcNow();
        context.Session.Store(client);
        context.Audit("integrations.api-client.revoked", client);
        return client.ToView();
    }
}
