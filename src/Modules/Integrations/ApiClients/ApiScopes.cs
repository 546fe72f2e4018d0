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
    public const string DocumentsRead = "documents.read";

    /// <summary>The scopes an owner grants a client (the console's choices).</summary>
    public static readonly IReadOnlyList<string> All =
        [ClientsRead, RequestsWrite, AssessmentsRead, InsuranceRead, DocumentsRead, WebhooksManage];

    /// <summary>
    /// The FHIR resources each scope reads under /fhir. The SMART-style names (<c>patient/Patient.read</c>,
    /// <c>patient/*.read</c>) are aliases: a client may ask for one at the token endpoint when the scopes it was
    /// granted read every resource the alias names, and the token then reads only those.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> FhirResources = new Dictionary<string, string[]>
    {
        [ClientsRead] = ["Patient"],
        [InsuranceRead] = ["Coverage"],
        [AssessmentsRead] = ["QuestionnaireResponse", "Observation"],
        [DocumentsRead] = ["Consent"],
        [RequestsWrite] = ["Task"],
    };

    public const string SmartAll = "patient/*.read";

    public static IEnumerable<string> FhirTypes => FhirResources.Values.SelectMany(types => types);

    /// <summary>Every SMART-style alias: one per resource type, and <see cref="SmartAll"/>.</summary>
    public static readonly IReadOnlyList<string> SmartAliases = [.. FhirResources.Values.SelectMany(t => t).Select(Smart), SmartAll];

    public static string Smart(string fhirType) => $"patient/{fhirType}.read";

    /// <summary>The resource types a SMART alias names (empty for a scope that is not one).</summary>
    public static IEnumerable<string> TypesOfAlias(string scope) =>
        scope == SmartAll ? FhirTypes : FhirTypes.Where(type => Smart(type) == scope);

    /// <summary>A SMART alias may be asked for when the client's granted scopes read every resource it names.</summary>
    public static bool AliasCoveredBy(string alias, IReadOnlyCollection<string> granted)
    {
        var types = TypesOfAlias(alias).ToList();
        return types.Count > 0 && types.All(type => granted.Any(g => FhirResources.GetValueOrDefault(g)?.Contains(type) == true));
    }

    /// <summary>What each scope lets a system do, in the console's words.</summary>
    public static string Describe(string scope) => scope switch
    {
        ClientsRead => "Read the practice's clients (name, email, clinician, status)",
        RequestsWrite => "Request tasks from clients and follow their progress",
        AssessmentsRead => "Read assessment results (PHQ-9, GAD-7)",
        InsuranceRead => "Read clients' insurance",
        WebhooksManage => "Manage the practice's webhook endpoints",
        DocumentsRead => "Read the documents clients signed (FHIR Consent)",
        SmartAll => "Read every FHIR resource the client's scopes read (alias)",
        _ when TypesOfAlias(scope).Any() => $"Read FHIR {TypesOfAlias(scope).First()} resources (alias)",
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
        .. FhirRoutes(),
    ];

    /// <summary>Each FHIR read and search is opened by its scope, its type's SMART alias and <see cref="SmartAll"/>.</summary>
    private static IEnumerable<(string Scope, string Method, string Route)> FhirRoutes() =>
        from pair in FhirResources
        from type in pair.Value
        from route in new[] { $"/fhir/{type}", $"/fhir/{type}/{{id}}" }
        from scope in new[] { pair.Key, Smart(type), SmartAll }
        select (scope, "GET", route);

    /// <summary>The scopes that open the endpoint <paramref name="http"/> is routed to (any one of them will do).</summary>
    public static IReadOnlyList<string> ScopesFor(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint endpoint
            ? [.. ScopesOf(http.Request.Method, endpoint.RoutePattern.RawText ?? string.Empty)]
            : [];

    /// <summary>The scopes that name a route pattern (for the OpenAPI document's security requirements).</summary>
    public static IEnumerable<string> ScopesOf(string method, string route) =>
        Routes.Where(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
                          && string.Equals(r.Route, "/" + route.TrimStart('/'), StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Scope);
}
