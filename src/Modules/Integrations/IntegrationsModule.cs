using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using OpenIddict.Server.AspNetCore;
using Portal.BuildingBlocks.Messaging;
using Portal.Integrations.ApiClients;
using Portal.Integrations.Roster;
using Portal.Integrations.Webhooks;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Portal.Integrations;

/// <summary>
/// The Integrations module's one registration entry point: API clients (OAuth 2.0 client credentials through
/// OpenIddict, their bearer tokens accepted by the JSON endpoints their scopes open) and outbound webhooks.
/// </summary>
public sealed class IntegrationsModule : IPortalModule
{
    public string Name => "integrations";

    /// <summary>The authentication scheme that reads API clients' bearer tokens (the host's default scheme forwards to it).</summary>
    public const string BearerScheme = ApiClientGate.Scheme;

    /// <summary>
    /// After authentication: a bearer token's client must still be valid and the route one its scopes open; each call
    /// is audited and counted against the client's rate limit (<see cref="ApiClientGate"/>).
    /// </summary>
    public static IApplicationBuilder UseApiClients(IApplicationBuilder app) => app.UseApiClients();

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(ApiClientLimits.TokenEndpoint.TrimStart('/'));
                server.AllowClientCredentialsFlow();
                server.RegisterScopes([.. ApiScopes.All, .. ApiScopes.SmartAliases]);
                server.SetAccessTokenLifetime(configuration.GetValue("Portal:Integrations:TokenLifetime", TimeSpan.FromMinutes(10)));
                // Our own client records (ApiClient, Marten) and handlers instead of OpenIddict's stores; tokens are
                // not stored (see IssueToken.cs for why that is safe here).
                server.EnableDegradedMode();
                server.DisableTokenStorage();
                server.DisableAuthorizationStorage();
                // Access tokens are Data Protection payloads under the host's persisted key ring, so every node and
                // every restart reads them; the keys below only satisfy OpenIddict (no JWT is issued with them).
                server.UseDataProtection();
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.UseAspNetCore();
                server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseScopedHandler<ValidateApiClientCredentials>());
                server.AddEventHandler<HandleTokenRequestContext>(handler => handler.UseScopedHandler<IssueApiClientToken>());
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseDataProtection();
                validation.UseAspNetCore();
            });
        // HTTPS only, except where the host itself runs over plain HTTP (development, tests) or an operator says TLS
        // ends in front of it (Portal:Integrations:RequireHttps=false behind a TLS-terminating proxy).
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<IHostEnvironment>((options, environment) =>
            options.DisableTransportSecurityRequirement = !configuration.GetValue("Portal:Integrations:RequireHttps",
                !(environment.IsDevelopment() || environment.IsEnvironment("Testing"))));
        services.AddSingleton<IAuthorizationHandler, ApiScopeAuthorizationHandler>();
        services.AddRateLimiter(options => options.GlobalLimiter = ApiClientGate.PerClientLimit());
        services.ConfigureOpenApiSecurity();

        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        services.AddSingleton<WebhookTargets>();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => WebhookTargets.Handler(provider.GetRequiredService<WebhookTargets>()));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Integrations", "/console/integrations", 85, PortalPolicies.Owner));
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<IntegrationsClient>().DatabaseSchemaName(Name);
        options.Schema.For<IntegrationsAwaitingRoster>().DatabaseSchemaName(Name).Index(m => m.AwaitedId);
        options.Schema.For<ApiClient>().DatabaseSchemaName(Name).Index(c => c.PracticeId);
        options.Schema.For<WebhookEndpoint>().DatabaseSchemaName(Name).Index(e => e.PracticeId);
        options.Schema.For<WebhookDelivery>().DatabaseSchemaName(Name).Index(d => d.EndpointId);
        options.Schema.For<IntegrationsPractice>().DatabaseSchemaName(Name);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
        options.RetryThenHold<IntegrationsCopyMissing, IntegrationsAwaitingRoster>();
    }
}
