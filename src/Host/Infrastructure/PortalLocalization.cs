using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Localization;
using Microsoft.Extensions.Primitives;
using StringWithQualityHeaderValue = Microsoft.Net.Http.Headers.StringWithQualityHeaderValue;
using Portal.BuildingBlocks.Localization;
using Portal.BuildingBlocks.Security;

namespace Portal.Host.Infrastructure;

/// <summary>
/// Which language a response is in (ASP.NET Core request localization with one provider of ours): a signed-in client
/// reads their own (the roster's, <see cref="IClientLanguages"/>); staff, support and API clients read English (their
/// pages are not translated); anyone else the language an email's link names (<c>?lang=</c>, then remembered), else the
/// one they switched to on a signed-out page (a cookie), else the
/// first of their browser's <c>Accept-Language</c> the portal offers, else English. The culture (dates, numbers)
/// follows the language: <see cref="PortalLanguages.Culture"/>.
/// </summary>
internal static class PortalLocalization
{
    public const string LanguageCookie = "portal.language";

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Texts with markup in them (a bolded email) come through IHtmlLocalizer, which encodes only the arguments.
        services.AddSingleton<IHtmlLocalizerFactory, HtmlLocalizerFactory>();
        services.AddTransient(typeof(IHtmlLocalizer<>), typeof(HtmlLocalizer<>));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = PortalLanguages.Supported.Select(l => PortalLanguages.Culture(l.Code)).ToList();
            options.DefaultRequestCulture = new RequestCulture(PortalLanguages.Culture(PortalLanguages.Default));
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new ReaderLanguageProvider()];
        });
        return services;
    }

    /// <summary>After authentication: the signed-in person decides the language.</summary>
    public static WebApplication UsePortalLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        // The switch on signed-out pages: a link, so it works without script; the cookie only names a language.
        app.MapGet("/language", (string? set, string? returnUrl, HttpContext http) =>
        {
            if (!PortalLanguages.IsSupported(set))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["set"] = [$"Choose one of: {string.Join(", ", PortalLanguages.Supported.Select(l => l.Code))}."],
                });
            }
            Remember(http, set!);
            var back = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
                ? returnUrl : "/signin";
            return Results.LocalRedirect(back);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The language of this request's reader, as the rule above says.</summary>
    public static async ValueTask<string> LanguageOfAsync(HttpContext http)
    {
        var user = CurrentUser.From(http.User);
        if (user is not null)
        {
            if (!user.IsClient || user.IsApiClient) return PortalLanguages.Default;
            if (!user.IsContact && user.ClientId is { } clientId
                && await http.RequestServices.GetRequiredService<IClientLanguages>().FindAsync(clientId, http.RequestAborted) is { } own)
                return own;
        }
        // An email's link names its reader's language (lang=): the page opens in it, and the next ones remember it.
        if (http.Request.Query["lang"].ToString() is { Length: > 0 } linked && PortalLanguages.IsSupported(linked))
        {
            Remember(http, linked);
            return linked;
        }
        if (http.Request.Cookies[LanguageCookie] is { } chosen && PortalLanguages.IsSupported(chosen)) return chosen;
        return FromBrowser(http.Request.Headers.AcceptLanguage) ?? PortalLanguages.Default;
    }

    private static void Remember(HttpContext http, string language) =>
        http.Response.Cookies.Append(LanguageCookie, language, new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            MaxAge = TimeSpan.FromDays(365),
            IsEssential = true,
        });

    /// <summary>The first language of the browser's list, by quality, that the portal offers ("es-MX" reads "es").</summary>
    private static string? FromBrowser(StringValues header)
    {
        if (!StringWithQualityHeaderValue.TryParseList(header, out var languages)) return null;
        return languages
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(PortalLanguages.IsSupported);
    }

    private sealed class ReaderLanguageProvider : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var culture = PortalLanguages.Culture(await LanguageOfAsync(httpContext)).Name;
            return new ProviderCultureResult(culture, culture);
        }
    }
}
