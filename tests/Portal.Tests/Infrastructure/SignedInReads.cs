using Alba;

namespace Portal.Tests.Infrastructure;

/// <summary>A signed-in GET that must answer 200: the body as JSON, or the page's HTML.</summary>
internal static class SignedInReads
{
    public static async Task<T> GetAsJson<T>(this IAlbaHost host, string url, ISignedIn actor) =>
        (await (await GetOkAsync(host, url, actor)).ReadAsJsonAsync<T>())!;

    public static async Task<string> GetAsText(this IAlbaHost host, string url, ISignedIn actor) =>
        await (await GetOkAsync(host, url, actor)).ReadAsTextAsync();

    private static Task<IScenarioResult> GetOkAsync(IAlbaHost host, string url, ISignedIn actor) =>
        host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
}
