using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) names both ways in: the browser's session cookie, and OAuth 2.0
/// client credentials with the token endpoint and every scope. Each operation a scope opens says which, so a generated
/// client knows to fetch a token and with what scope.
/// </summary>
internal static class OpenApiSecurity
{
    public const string OAuth2 = "oauth2";
    public const string Cookie = "session-cookie";

    public static void ConfigureOpenApiSecurity(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[OAuth2] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "An API client's credentials (created by the practice owner under Integrations).",
                    Flows = new OpenApiOAuthFlows
                    {
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri(ApiClientLimits.TokenEndpoint, UriKind.Relative),
                            Scopes = ApiScopes.All.Concat(ApiScopes.SmartAliases).ToDictionary(scope => scope, ApiScopes.Describe),
                        },
                    },
                };
                document.Components.SecuritySchemes[Cookie] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "portal.session",
                    Description = "A signed-in person's session (the console and the client portal).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var scopes = ApiScopes.ScopesOf(context.Description.HttpMethod ?? "GET", context.Description.RelativePath ?? string.Empty)
                    .ToList();
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Cookie, context.Document)] = [] });
                if (scopes.Count > 0)
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(OAuth2, context.Document)] = scopes,
                    });
                return Task.CompletedTask;
            });
        });
}
