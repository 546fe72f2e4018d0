using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Alba;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Forms;

/// <summary>Helpers for the forms module's tests through the real host, with signed-in actors.</summary>
public abstract partial class FormsTest(PortalFixture fixture) : PortalTest(fixture)
{
    protected async Task<T> Json<T>(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var result = await Host.Scenario(s => Request(s, actor, method, url, body, status));
        return (await result.ReadAsJsonAsync<T>())!;
    }

    protected async Task<IScenarioResult> Send(ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        await Host.Scenario(s => Request(s, actor, method, url, body, status));

    protected async Task<(ITrackedSession Tracked, IScenarioResult Result)> Tracked(ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        await TrackedScenario(s => Request(s, actor, method, url, body, status));

    protected static IEnumerable<T> Messages<T>(ITrackedSession tracked) =>
        tracked.AllRecordsInOrder().Select(r => r.Message).OfType<T>().Distinct();

    protected static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void Request(Scenario s, ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        s.As(actor);
        s.WithRequestHeader("User-Agent", "FormsTests/1.0");
        s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7"));
        if (method == HttpMethod.Get) s.Get.Url(url);
        else if (method == HttpMethod.Delete) s.Delete.Url(url);
        else if (method == HttpMethod.Put) s.Put.Json(body ?? new { }).ToUrl(url);
        else s.Post.Json(body ?? new { }).ToUrl(url);
        s.StatusCodeShouldBe(status);
    }

    /// <summary>Posts the page's form like a browser: the antiforgery token from the page and its cookie.</summary>
    protected static void PostForm(Scenario s, ProviderActor provider, string page, string handler, Dictionary<string, string> fields,
        (string Html, string Antiforgery) opened, string? query = null)
    {
        fields["__RequestVerificationToken"] = TokenPattern().Match(opened.Html).Groups[1].Value;
        s.WithRequestHeader("Cookie", $"{provider.Cookie}; {opened.Antiforgery}");
        var send = s.Post.FormData(fields).ToUrl(page).QueryString("handler", handler);
        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            send.QueryString(pair[0], pair[1]);
        s.IgnoreStatusCode();
    }

    protected async Task<(string Html, string Antiforgery)> Open(ProviderActor provider, string page)
    {
        var get = await Send(provider, HttpMethod.Get, page, null, 200);
        var cookie = get.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]).First(c => c.StartsWith("portal.antiforgery=", StringComparison.Ordinal));
        return (await get.ReadAsTextAsync(), cookie);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
