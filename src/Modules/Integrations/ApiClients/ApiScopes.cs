using Microsoft.AspNetCore.Routing;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// The scopes an API client may hold, and the JSON endpoints each one opens. A bearer token reaches only the routes
/// listed here for a scope it holds; every other route (pages, the console's other endpoints, support's) answers 403,
/// whatever role policy the route names. Within a route, the API client is treated as an owner of its one practice,
/// so the card rule (<see cref="ClientCard.IsVisibleTo(CurrentUser)"/>) keeps it to that practice's clients.
/// </summary>
internal static class ApiScopes
{
    public const string ClientsRead = "clients.read";
    public const string RequestsWrite = "requests.write";
    public const string AssessmentsRead = "assessments.read";
    public const string InsuranceRead = "insurance.read";
    public const string WebhooksManage = "webhooks.manage";

    public static readonly IReadOnlyList<string> All = [ClientsRead, RequestsWrite, AssessmentsRead, InsuranceRead, WebhooksManage];

    /// <summary>What each scope lets a system do, in the console's words.</summary>
    public static string Describe(string scope) => scope switch
    {
        ClientsRead => "Read the practice's clients (name, email, clinician, status)",
        RequestsWrite => "Request tasks from clients and follow their progress",
        AssessmentsRead => "Read assessment results (PHQ-9, GAD-7)",
        InsuranceRead => "Read clients' insurance",
        WebhooksManage => "Manage the practice's webhook endpoints",
        _ => scope,
    };

    /// <summary>(scope, HTTP method, route pattern as the endpoint declares it).</summary>
    public static readonly IReadOnlyList<(string Scope, string Method, string Route)> Routes =
    [
        (ClientsRead, "GET", "/api/console/clients"),
        (ClientsRead, "GET", "/api/console/clients/{clientId}"),
        (RequestsWrite, "POST", "/api/clients/{clientId}/requests"),
        (RequestsWrite, "GET", "/api/clients/{clientId}/assignments"),
        (RequestsWrite, "GET", "/api/assignments/{id}"),
        (AssessmentsRead, "GET", "/api/clients/{clientId}/assessments"),
        (InsuranceRead, "GET", "/api/console/clients/{clientId}/insurance"),
        (WebhooksManage, "GET", "/api/console/integrations/webhooks"),
        (WebhooksManage, "POST", "/api/console/integrations/webhooks"),
        (WebhooksManage, "DELETE", "/api/console/integrations/webhooks/{endpointId}"),
        (WebhooksManage, "GET", "/api/console/integrations/webhooks/{endpointId}/deliveries"),
        (WebhooksManage, "POST", "/api/console/integrations/webhooks/{endpointId}/enable"),
        (WebhooksManage, "POST", "/api/console/integrations/webhooks/{endpointId}/deliveries/{deliveryId}/resend"),
    ];

    /// <summary>The scope that opens the endpoint <paramref name="http"/> is routed to, or null when no scope does.</summary>
    public static string? ScopeFor(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint) return null;
        var route = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
        foreach (var (scope, method, pattern) in Routes)
        {
            if (string.Equals(method, http.Request.Method, StringComparison.OrdinalIgnoreCase)
                && string.Equals(pattern, route, StringComparison.OrdinalIgnoreCase))
                return scope;
        }
        return null;
    }

    /// <summary>The scopes that name a route pattern (for the OpenAPI document's security requirements).</summary>
    public static IEnumerable<string> ScopesOf(string method, string route) =>
        Routes.Where(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
                          && string.Equals(r.Route, "/" + route.TrimStart('/'), StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Scope);
}
