using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.BuildingBlocks.Security;
using System.Security.Claims;

namespace Portal.Host.Infrastructure;

/// <summary>Cookie sessions and the role policies every module's endpoints and pages name.</summary>
internal static class PortalAuthentication
{
    public static IServiceCollection AddPortalAuthentication(this IServiceCollection services, IWebHostEnvironment environment)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "portal.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = SecurePolicyFor(environment);
                options.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                options.SlidingExpiration = true;
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/forbidden";
                // API callers get status codes, not redirects to the sign-in page.
                options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
                options.Events.OnSigningOut = EndSessionAsync;
            });
        // Cookie expiry follows the application's clock (tests move it).
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider>((options, clock) => options.TimeProvider = clock);

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Client, policy => policy.RequireRole(PortalRoles.Client).RequireClaim(PortalClaims.ClientId))
            .AddPolicy(PortalPolicies.Provider, policy => policy.RequireRole(PortalRoles.Provider).RequireClaim(PortalClaims.ProviderId))
            .AddPolicy(PortalPolicies.Support, policy => policy.RequireRole(PortalRoles.Support))
            .AddPolicy(PortalPolicies.Staff, policy => policy.RequireRole(PortalRoles.Provider, PortalRoles.Support));

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

    /// <summary>Sessions last at most this long, however active: 30 minutes idle, 12 hours in all.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>
    /// On every request with a cookie: the session must be within its absolute lifetime (else it ends, audited as
    /// expired) and still open on the server (else the cookie is refused and removed: it was signed out, and a copy
    /// of it must not work).
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var started = context.Principal?.FindFirstValue(PortalClaims.SessionStarted);
        if (!long.TryParse(started, out var seconds)
            || clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > AbsoluteLifetime)
        {
            context.RejectPrincipal();
            AuditTrail.SessionExpired(context.HttpContext, context.Principal);
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        var sessionId = context.Principal?.FindFirstValue(PortalClaims.SessionId);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<ISignInSessions>();
        if (sessionId is null || !await sessions.IsOpenAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            // Removed without a sign-out: the session already ended (and was audited) when it was signed out.
            context.Options.CookieManager.DeleteCookie(
                context.HttpContext, context.Options.Cookie.Name!, context.Options.Cookie.Build(context.HttpContext));
        }
    }

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
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
