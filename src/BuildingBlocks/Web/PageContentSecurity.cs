using Microsoft.AspNetCore.Http;

namespace Portal.BuildingBlocks.Web;

/// <summary>
/// What one page adds to the strict Content-Security-Policy every response gets (src/Host SecurityHeaders): a page
/// that must load a third party's script or frame (Stripe's Payment Element) names the sources for itself, so no
/// other page allows them. A directive the strict policy lacks starts from its <c>default-src</c>.
/// </summary>
public static class PageContentSecurity
{
    private const string ItemKey = "portal:content-security-additions";

    public static void Allow(HttpContext http, string directive, params string[] sources)
    {
        if (http.Items[ItemKey] is not Dictionary<string, List<string>> additions)
            http.Items[ItemKey] = additions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!additions.TryGetValue(directive, out var list)) additions[directive] = list = [];
        foreach (var source in sources.Where(s => !list.Contains(s))) list.Add(source);
    }

    /// <summary><paramref name="policy"/> with this request's additions, directives in their original order.</summary>
    public static string Apply(HttpContext http, string policy)
    {
        if (http.Items[ItemKey] is not Dictionary<string, List<string>> additions) return policy;
        var directives = policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList()).ToList();
        var defaults = directives.FirstOrDefault(d => d[0] == "default-src")?.Skip(1).ToList() ?? [];
        foreach (var (name, sources) in additions)
        {
            var directive = directives.FirstOrDefault(d => d[0] == name);
            if (directive is null) directives.Add(directive = [name, .. defaults]);
            directive.AddRange(sources.Where(s => !directive.Contains(s)));
        }
        return string.Join("; ", directives.Select(d => string.Join(' ', d)));
    }
}
