using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Portal.Integrations.Fhir;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// Every request that carries a bearer token passes here after authentication: the token's client must still exist,
/// be unrevoked and be on the secret generation the token was issued under (401 otherwise); the route must be one a
/// scope the token holds opens (<see cref="ApiScopes"/>; 403 otherwise, whatever policy the route names). Each call
/// is then audited with the client's id, its status and its duration; the client's own rate limit applies
/// (<see cref="PerClientLimit"/>).
/// </summary>
internal static class ApiClientGate
{
    /// <summary>The authentication scheme that reads bearer tokens (the host's default scheme forwards to it).</summary>
    public const string Scheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    private const string ClientItem = "portal.api-client";

    /// <summary>An endpoint that serves one client's record without naming it in its route (FHIR) puts its id here.</summary>
    public const string AuditedClientItem = "portal.api-client.audited-client";

    public static IApplicationBuilder UseApiClients(this IApplicationBuilder app) => app.UseFhirResponses().Use(async (http, next) =>
    {
        if (CurrentUser.From(http.User) is not { ApiClientId: { } clientId })
        {
            await next(http);
            return;
        }

        var store = http.RequestServices.GetRequiredService<IDocumentStore>();
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        ApiClient? client;
        await using (var query = store.QuerySession()) client = await query.LoadAsync<ApiClient>(clientId, http.RequestAborted);
        var generation = http.User.FindFirst(IssueApiClientToken.GenerationClaim)?.Value;
        if (client is null || client.Revoked || generation != client.Generation.ToString(CultureInfo.InvariantCulture)
            || client.PracticeId != CurrentUser.From(http.User)!.PracticeId)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers.WWWAuthenticate =
                "Bearer error=\"invalid_token\", error_description=\"The API client was revoked or its secret rotated.\"";
            await AuditAsync(store, http, clock, clientId, "refused: token no longer valid");
            return;
        }

        var scopes = ApiScopes.ScopesFor(http);
        if (!scopes.Any(http.User.HasScope) && !IsOpenToAll(http.GetEndpoint()))
        {
            var detail = scopes.Count == 0
                ? "API clients reach only the endpoints their scopes open."
                : $"This endpoint needs one of the scopes: {string.Join(", ", scopes)}.";
            await FhirResponses.RefuseAsync(http, StatusCodes.Status403Forbidden, "Not within this client's scopes.", detail);
            await AuditAsync(store, http, clock, clientId, $"refused: scope {(scopes.Count == 0 ? "none" : scopes[0])}");
            return;
        }

        http.Items[ClientItem] = client;
        var started = clock.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var took = clock.GetElapsedTime(started);
            await AuditAsync(store, http, clock, clientId, $"{http.Response.StatusCode} in {took.TotalMilliseconds:0} ms");
        }
    });

    /// <summary>
    /// What answers anyone the same, token or not: a public endpoint (the FHIR CapabilityStatement) and routing's own
    /// "405 method not allowed" (a write to the read-only /fhir is told so, not that its scopes fall short).
    /// </summary>
    private static bool IsOpenToAll(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || endpoint?.DisplayName?.StartsWith("405 HTTP Method Not Supported", StringComparison.Ordinal) == true;

    /// <summary>One line per call: which client, which route, the status and the time taken (never the body).</summary>
    private static async Task AuditAsync(IDocumentStore store, HttpContext http, TimeProvider clock, Guid clientId, string outcome)
    {
        await using var session = store.LightweightSession();
        var route = (http.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value;
        Audit.Record(session, http, clock, $"api.call {http.Request.Method} {route}", nameof(ApiClient), clientId.ToString(),
            clientId: http.Items[AuditedClientItem] as Guid?
                      ?? (http.Request.RouteValues.TryGetValue("clientId", out var value) && Guid.TryParse(value?.ToString(), out var id) ? id : null),
            outcome: outcome);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The client as the audit log's actor (for the token endpoint, where no principal exists yet).</summary>
    internal static CurrentUser ActorOf(ApiClient client) =>
        new(PortalRoles.Provider, client.Id, $"API client {client.Name}", null, client.Id, client.PracticeId, StaffRole.Owner)
        {
            ApiClientId = client.Id,
        };

    /// <summary>
    /// A fixed window per API client at the client's own <see cref="ApiClient.RequestsPerMinute"/>; people's requests
    /// are not limited here. The partition key carries the limit, so a changed limit takes effect at once.
    /// </summary>
    public static PartitionedRateLimiter<HttpContext> PerClientLimit() =>
        PartitionedRateLimiter.Create<HttpContext, string>(http =>
            http.Items[ClientItem] is ApiClient client
                ? RateLimitPartition.GetFixedWindowLimiter($"{client.Id:N}|{client.RequestsPerMinute}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = client.RequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter("people"));
}

/// <summary>
/// Lets a bearer principal through the role policy of a route its scopes open (the gate above has already refused every
/// other route). It succeeds each requirement of the policy, so a human-only rule (such as a second factor) does not
/// apply to an API client; nothing here admits a person.
/// </summary>
internal sealed class ApiScopeAuthorizationHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (CurrentUser.From(context.User) is not { IsApiClient: true } || context.Resource is not HttpContext http) return Task.CompletedTask;
        if (ApiScopes.ScopesFor(http).Any(context.User.HasScope))
        {
            foreach (var requirement in context.PendingRequirements.ToList()) context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
