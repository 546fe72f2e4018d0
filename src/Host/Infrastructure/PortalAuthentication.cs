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
                options.Events.OnValidatePrincipal = EnforceAbsoluteLifetime;
                options.Events.OnSigningOut = AuditTrail.OnSigningOut;
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

    private static async Task EnforceAbsoluteLifetime(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var started = context.Principal?.FindFirstValue(PortalClaims.SessionStarted);
        if (!long.TryParse(started, out var seconds)
            || clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > AbsoluteLifetime)
        {
            context.RejectPrincipal();
            AuditTrail.SessionExpired(context.HttpContext, context.Principal);
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
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
