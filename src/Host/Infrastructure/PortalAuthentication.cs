using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Portal.BuildingBlocks.Security;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Host.Infrastructure;

/// <summary>Cookie sessions and the role policies every module's endpoints and pages name.</summary>
internal static class PortalAuthentication
{
    private const string PortalScheme = "portal";

    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddAuthentication(PortalScheme)
            // A request with a bearer token is an API client's (Integrations: its scopes decide, never a role policy);
            // everything else is a person's cookie session, as before.
            .AddPolicyScheme(PortalScheme, "Session cookie or API bearer token", options => options.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Portal.Integrations.IntegrationsModule.BearerScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "portal.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = SecurePolicyFor(environment);
                // The server-side session decides idle and absolute limits; the cookie only has to outlive them.
                options.ExpireTimeSpan = TimeSpan.FromDays(1);
                options.SlidingExpiration = false;
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/forbidden";
                // API callers get status codes, not redirects to the sign-in page.
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
                options.Events.OnSigningOut = EndSessionAsync;
            });
        services.AddOptions<SignInSessionOptions>().BindConfiguration(SignInSessionOptions.Section)
            .Validate(o => o.IsValid, "Portal:Sessions: timeouts must be positive and longer than WarningBefore.")
            .ValidateOnStart();
        // Cookie expiry follows the application's clock (tests move it).
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);

        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Client, policy => policy.RequireRole(PortalRoles.Client).RequireClaim(PortalClaims.ClientId)
                .AddRequirements(SecondFactorRequirement.Instance))
            .AddPolicy(PortalPolicies.Support, policy => policy.RequireRole(PortalRoles.Support)
                .AddRequirements(SecondFactorRequirement.Instance));
        // A practice member passes by their staff role (PortalPolicies.RolesOf), the one rule CurrentUser.Passes states.
        foreach (var name in PortalPolicies.MemberPolicies)
        {
            authorization.AddPolicy(name, policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => CurrentUser.From(context.User) is { } user && user.Passes(name)
                                             && (!user.IsProvider || (user.ProviderId is not null && user.PracticeId is not null)))
                .AddRequirements(SecondFactorRequirement.Instance));
        }
        services.AddSingleton<IAuthorizationHandler, SecondFactorHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SecondFactorGateResults>();

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "portal.antiforgery";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = SecurePolicyFor(environment);
        });
        return services;
    }

    /// <summary>Cookies are Secure outside development and tests (which run over plain HTTP on localhost).</summary>
    private static CookieSecurePolicy SecurePolicyFor(IWebHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing") ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    /// <summary>
    /// On every request with a cookie: the session must be open on the server and within its idle and absolute limits
    /// (<see cref="SignInSessionOptions"/>). Past a limit it ends as a sign-out (audited as "idle-timeout" or
    /// "session-expired"); already ended, the cookie is refused and removed (it was signed out, and a copy of it must
    /// not work). An open session's check stays in the request's items for the layouts' idle warning.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var sessionId = context.Principal?.FindFirstValue(PortalClaims.SessionId);
        var check = sessionId is null
            ? SessionCheck.Ended
            : await http.RequestServices.GetRequiredService<ISignInSessions>()
                .CheckAsync(sessionId, TouchOf(http.Request), http.RequestAborted);
        switch (check.Verdict)
        {
            case SessionVerdict.Open:
                http.Items[SessionCheck.Item] = check;
                return;
            case SessionVerdict.IdleTimedOut or SessionVerdict.LifetimeOver:
                var idle = check.Verdict == SessionVerdict.IdleTimedOut;
                if (idle) http.Items[IdleTimeoutItem] = check.IdleTimeout;
                // Named before RejectPrincipal clears it: the sign-out ends and audits this principal's session.
                AuditTrail.SessionExpired(http, context.Principal, idle ? "idle-timeout" : "session-expired");
                context.RejectPrincipal();
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return;
            default:
                context.RejectPrincipal();
                // Removed without a sign-out: the session already ended (and was audited) when it was signed out.
                context.Options.CookieManager.DeleteCookie(http, context.Options.Cookie.Name!, context.Options.Cookie.Build(http));
                return;
        }
    }

    /// <summary>Set when a request finds its session idle too long: the sign-in page then says why.</summary>
    private const string IdleTimeoutItem = "portal.session.idle-timeout";

    /// <summary>The idle warning's question "how long is left?" must not count as activity.</summary>
    private static SessionTouch TouchOf(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Equals(SessionPaths.Status, StringComparison.OrdinalIgnoreCase)
            ? SessionTouch.None
            : SessionTouch.Activity;

    /// <summary>Ends the server-side session first (so no copy of the cookie works after this), then audits the sign-out.</summary>
    private static async Task EndSessionAsync(CookieSigningOutContext context)
    {
        var principal = AuditTrail.SigningOutPrincipal(context.HttpContext);
        if (principal.FindFirstValue(PortalClaims.SessionId) is { } sessionId)
        {
            await context.HttpContext.RequestServices.GetRequiredService<ISignInSessions>()
                .EndAsync(sessionId, AuditTrail.SigningOutReason(context.HttpContext), CancellationToken.None);
        }
        await AuditTrail.OnSigningOut(context);
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.HttpContext.Items[AuditTrail.RefusedItem] = status;
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/fhir"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        var redirect = context.RedirectUri;
        // A page request after the idle limit: the sign-in page says the person was signed out for inactivity.
        if (status == StatusCodes.Status401Unauthorized && context.HttpContext.Items[IdleTimeoutItem] is TimeSpan idle)
            redirect = QueryHelpers.AddQueryString(redirect, "idle", ((int)idle.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        context.Response.Redirect(redirect);
        return Task.CompletedTask;
    }
}
