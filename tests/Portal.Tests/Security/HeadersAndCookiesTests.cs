using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Portal.Host.Infrastructure;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Security headers on every page and API route the host serves (discovered), HSTS outside development, and the
/// session and antiforgery cookies' flags (HttpOnly, SameSite, Secure outside development).
/// </summary>
public sealed partial class HeadersAndCookiesTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task Every_page_and_API_route_answers_with_a_CSP_without_inline_script_nosniff_no_framing_and_a_referrer_policy()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => r.Method == "GET").ToList();
        var extra = new[] { "/", "/css/site.css", "/openapi/v1.json", "/health/live", "/no/such/page", "/scalar/" };

        var failures = new List<string>();
        var checkedResponses = 0;
        var pagesScanned = 0;
        async Task CheckAsync(string url, ISignedIn? actor)
        {
            var result = await Host.Scenario(s =>
            {
                if (actor is not null) s.As(actor);
                s.Get.Url(url);
                s.IgnoreStatusCode();
            });
            checkedResponses++;
            var headers = result.Context.Response.Headers;
            var csp = Directives(headers.ContentSecurityPolicy.ToString());
            var scripts = csp.GetValueOrDefault("script-src") ?? csp.GetValueOrDefault("default-src");
            if (scripts is null) failures.Add($"{url}: no script-src or default-src");
            else if (scripts.Any(v => v is "'unsafe-inline'" or "'unsafe-eval'" or "*" or "data:"))
                failures.Add($"{url}: script-src {string.Join(' ', scripts)}");
            if (csp.GetValueOrDefault("frame-ancestors") is not ["'none'"]) failures.Add($"{url}: frame-ancestors missing or not 'none'");
            if (headers.XContentTypeOptions.ToString() != "nosniff") failures.Add($"{url}: X-Content-Type-Options '{headers.XContentTypeOptions}'");
            if (headers.XFrameOptions.ToString() != "DENY") failures.Add($"{url}: X-Frame-Options '{headers.XFrameOptions}'");
            if (headers["Referrer-Policy"].ToString() is not ("no-referrer" or "same-origin" or "strict-origin-when-cross-origin"))
                failures.Add($"{url}: Referrer-Policy '{headers["Referrer-Policy"]}'");

            if (result.Context.Response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
            {
                pagesScanned++;
                var html = await result.ReadAsTextAsync();
                foreach (Match script in ScriptTag().Matches(html))
                {
                    // A JSON data block (the words a script shows, in the reader's language) is never executed.
                    var attributes = script.Groups["attributes"].Value;
                    if (!attributes.Contains("src=", StringComparison.OrdinalIgnoreCase)
                        && !attributes.Contains("type=\"application/json\"", StringComparison.OrdinalIgnoreCase))
                        failures.Add($"{url}: inline <script>");
                }
                if (InlineHandler().IsMatch(html)) failures.Add($"{url}: inline event handler attribute");
            }
        }

        foreach (var url in extra) await CheckAsync(url, null);
        foreach (var route in routes)
        {
            ISignedIn? actor = route.Pattern.StartsWith("/support") || route.Pattern.StartsWith("/api/support") ? provider.Support
                : route.Pattern.StartsWith("/console") || route.Pattern.StartsWith("/api/console") ? provider
                : route.AllowsAnonymous ? null : client;
            var url = route.Fill(name => name switch
            {
                "clientId" => client.ClientId.ToString(),
                "providerId" => provider.ProviderId.ToString(),
                "practiceId" => provider.PracticeId.ToString(),
                _ => Guid.NewGuid().ToString(),
            });
            await CheckAsync(url, actor);
            if (actor is not null) await CheckAsync(url, null);
        }

        Console.WriteLine($"headers: {checkedResponses} responses checked " +
                          $"({routes.Count} GET routes discovered + {extra.Length} fixed URLs), " +
                          $"{pagesScanned} HTML pages scanned for inline script");
        checkedResponses.ShouldBeGreaterThan(routes.Count);
        pagesScanned.ShouldBeGreaterThan(10);
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Outside_development_HTTPS_responses_carry_HSTS_for_at_least_a_year()
    {
        Host.Services.GetRequiredService<IWebHostEnvironment>().EnvironmentName.ShouldNotBe("Development");
        var result = await Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Scheme = "https";
                c.Request.Host = new HostString("portal.example.org");
            });
            s.Get.Url("/");
            s.StatusCodeShouldBeOk();
        });
        var hsts = result.Context.Response.Headers.StrictTransportSecurity.ToString();
        hsts.ShouldNotBeNullOrEmpty();
        var maxAge = long.Parse(MaxAge().Match(hsts).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        maxAge.ShouldBeGreaterThanOrEqualTo((long)TimeSpan.FromDays(365).TotalSeconds);
        hsts.ShouldContain("includeSubDomains");
    }

    [Fact]
    public async Task The_session_and_antiforgery_cookies_are_HttpOnly_SameSite_and_Secure_over_HTTPS()
    {
        var provider = await Host.NewProviderAsync();
        var code = await SecondFactors.CodeAsync(Host.Services, provider.Email);
        var signIn = await Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Scheme = "https";
                c.Request.Host = new HostString("portal.example.org");
            });
            s.Post.Json(new { email = provider.Email, password = provider.Password, code }).ToUrl("/api/account/sign-in");
            s.StatusCodeShouldBeOk();
        });
        var session = SetCookie(signIn, "portal.session");
        session.ShouldContain("httponly");
        session.ShouldContain("secure");
        session.ShouldContain("samesite=lax");
        session.ShouldNotContain("expires=");

        var form = await Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Scheme = "https";
                c.Request.Host = new HostString("portal.example.org");
            });
            s.Get.Url("/signin");
            s.StatusCodeShouldBeOk();
        });
        var antiforgery = SetCookie(form, "portal.antiforgery");
        antiforgery.ShouldContain("httponly");
        antiforgery.ShouldContain("secure");
        antiforgery.ShouldContain("samesite=strict");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_and_tests_the_cookies_are_always_Secure(string environment)
    {
        var options = CookieOptionsFor(environment);
        options.Session.Cookie.SecurePolicy.ShouldBe(CookieSecurePolicy.Always);
        options.Session.Cookie.HttpOnly.ShouldBeTrue();
        options.Session.Cookie.SameSite.ShouldBe(SameSiteMode.Lax);
        options.Antiforgery.Cookie.SecurePolicy.ShouldBe(CookieSecurePolicy.Always);
        options.Antiforgery.Cookie.HttpOnly.ShouldBeTrue();
        options.Antiforgery.Cookie.SameSite.ShouldBe(SameSiteMode.Strict);
    }

    [Fact]
    public void In_development_the_cookies_follow_the_request_so_plain_HTTP_on_localhost_works()
    {
        var options = CookieOptionsFor("Development");
        options.Session.Cookie.SecurePolicy.ShouldBe(CookieSecurePolicy.SameAsRequest);
        options.Session.Cookie.HttpOnly.ShouldBeTrue();
    }

    private static (CookieAuthenticationOptions Session, AntiforgeryOptions Antiforgery) CookieOptionsFor(string environment)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddPortalAuthentication(new FakeEnvironment(environment));
        using var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme),
            provider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value);
    }

    private static string SetCookie(IScenarioResult result, string name) =>
        result.Context.Response.Headers.SetCookie.Select(c => c!).LastOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal))
            .ShouldNotBeNull($"no {name} cookie was set").ToLowerInvariant();

    private static Dictionary<string, string[]> Directives(string csp) => csp
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(d => d.Length > 0)
        .GroupBy(d => d[0].ToLowerInvariant())
        .ToDictionary(g => g.Key, g => g.First().Skip(1).ToArray());

    [GeneratedRegex(@"<script(?<attributes>[^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex(@"<[a-z][^>]*\son(click|load|error|submit|change|input|mouseover|focus)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"max-age=(\d+)")]
    private static partial Regex MaxAge();

    private sealed class FakeEnvironment(string name) : IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Portal.Host";
        public string WebRootPath { get; set; } = string.Empty;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = string.Empty;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
