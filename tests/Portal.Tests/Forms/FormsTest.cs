using System.Security.Cryptography;
using System.Text;
using Alba;
using Wolverine.Tracking;

namespace Portal.Tests.Forms;

/// <summary>Helpers for the forms module's tests through the real host, with signed-in actors.</summary>
public abstract class FormsTest(PortalFixture fixture) : PortalTest(fixture)
{
    protected async Task<T> Json<T>(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var result = await Host.Scenario(s => Request(s, actor, method, url, body, status));
        return (await result.ReadAsJsonAsync<T>())!;
    }

    protected async Task<IScenarioResult> Send(ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        await Host.Scenario(s => Request(s, actor, method, url, body, status));

    protected async Task<(ITrackedSession Tracked, IScenarioResult Result)> Tracked(
        ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        await TrackedScenario(s => Request(s, actor, method, url, body, status));

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
        OpenedPage opened, string? query = null) =>
        s.PostForm(provider, opened, page, handler, fields, query);

    protected Task<OpenedPage> Open(ProviderActor provider, string page) => Host.OpenPageAsync(provider, page);
}
