using System.Text.RegularExpressions;
using Alba;

namespace Portal.Tests.Infrastructure;

/// <summary>A page as a browser got it: its HTML, the form's antiforgery token and the antiforgery cookie.</summary>
public sealed record OpenedPage(string Html, string Token, string AntiforgeryCookie);

/// <summary>Razor pages driven like a browser: get the page, then post its form with the token and cookie it came with.</summary>
internal static partial class PageForms
{
    public static async Task<OpenedPage> OpenPageAsync(this IAlbaHost host, ISignedIn who, string url)
    {
        var get = await host.Scenario(s =>
        {
            s.As(who);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        var html = await get.ReadAsTextAsync();
        var cookie = get.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0])
            .First(c => c.StartsWith("portal.antiforgery=", StringComparison.Ordinal));
        return new OpenedPage(html, TokenPattern().Match(html).Groups[1].Value, cookie);
    }

    /// <summary>
    /// Posts the page's form (url-encoded) to a page handler ("" for the page's unnamed OnPost); <paramref name="query"/>
    /// adds "a=1&amp;b=2" pairs.
    /// </summary>
    public static void PostForm(this Scenario s, ISignedIn who, OpenedPage page, string url, string handler, Dictionary<string, string> fields,
        string? query = null)
    {
        fields["__RequestVerificationToken"] = page.Token;
        s.WithRequestHeader("Cookie", $"{who.Cookie}; {page.AntiforgeryCookie}");
        var send = s.Post.FormData(fields).ToUrl(url);
        if (handler.Length > 0) send.QueryString("handler", handler);
        foreach (var pair in (query ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)))
            send.QueryString(pair[0], pair[1]);
        s.IgnoreStatusCode();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
