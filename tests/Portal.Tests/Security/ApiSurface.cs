using System.Text.Json;
using Alba;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Security;

/// <summary>One route of the running host: an API operation or a page.</summary>
public sealed record Route(
    string Method, string Pattern, bool IsPage, bool AllowsAnonymous, string? Policy, JsonElement? BodySchema, bool IsUpload = false)
{
    public IReadOnlyList<string> Parameters { get; } =
        System.Text.RegularExpressions.Regex.Matches(Pattern, @"\{([A-Za-z0-9_]+)(:[^}]*)?\}").Select(m => m.Groups[1].Value).ToList();

    public string Fill(Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(Pattern, @"\{([A-Za-z0-9_]+)(:[^}]*)?\}", m => value(m.Groups[1].Value));

    public override string ToString() => $"{Method} {Pattern}";

    /// <summary>
    /// Asks this route at <paramref name="url"/> with an empty body (a real PNG for an upload), so the answer is about
    /// who asks, not about the content; JSON is asked of the API, HTML of a page.
    /// </summary>
    public void Ask(Scenario s, string url)
    {
        s.WithRequestHeader("Accept", url.StartsWith("/api/") ? "application/json" : "text/html");
        s.IgnoreStatusCode();
        if (IsUpload)
        {
            s.Post.MultipartFormData(Insurance.InsuranceApi.Photo(Insurance.CardPictures.Png, "card.png", 1)).ToUrl(url);
            return;
        }
        switch (Method)
        {
            case "GET": s.Get.Url(url); break;
            case "DELETE": s.Delete.Url(url); break;
            case "PUT": s.Put.Json(new { }).ToUrl(url); break;
            case "PATCH": s.Patch.Json(new { }).ToUrl(url); break;
            default: s.Post.Json(new { }).ToUrl(url); break;
        }
    }
}

/// <summary>
/// Everything the host answers, discovered at run time from its endpoint data source and its OpenAPI document, so a
/// new endpoint or page is covered by the security suites without anyone listing it.
/// </summary>
public static class ApiSurface
{
    public static async Task<IReadOnlyList<Route>> DiscoverAsync(IAlbaHost host)
    {
        var openApi = await host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        using var document = JsonDocument.Parse(await openApi.ReadAsTextAsync());
        var root = document.RootElement.Clone();

        var routes = new List<Route>();
        foreach (var endpoint in host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var isPage = endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null
                         || endpoint.Metadata.Any(m => m.GetType().Name == "PageRouteMetadata");
            var isApi = pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/fhir/", StringComparison.Ordinal);
            if (!isApi && !isPage) continue;

            var authorize = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            var allowsAnonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || authorize.Count == 0;
            var policy = authorize.Select(a => a.Policy).LastOrDefault(p => p is not null);
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            // Uploads declare the multipart content they accept ([Consumes("multipart/form-data")]).
            var isUpload = isApi && endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()
                .Any(a => a.ContentTypes.Any(c => c.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)));
            foreach (var method in methods.Distinct())
            {
                routes.Add(new Route(method, pattern, isPage && !isApi, allowsAnonymous, policy, BodySchema(root, pattern, method), isUpload));
            }
        }
        return routes.DistinctBy(r => (r.Method, r.Pattern)).OrderBy(r => r.Pattern).ThenBy(r => r.Method).ToList();
    }

    /// <summary>
    /// A value for a route parameter that is not an id: the words the routes accept (plan rank, card side, instrument),
    /// so a request reaches the record instead of stopping at a 404 for an unknown word. Ids get <paramref name="id"/>.
    /// </summary>
    public static string ValueFor(string parameter, Func<string, string> id) => parameter switch
    {
        "rank" => "primary",
        "side" => "front",
        "instrument" => "phq9",
        _ => id(parameter),
    };

    /// <summary>The JSON request body schema of an operation in the OpenAPI document, with $refs resolved one level.</summary>
    private static JsonElement? BodySchema(JsonElement root, string pattern, string method)
    {
        if (!root.GetProperty("paths").TryGetProperty(NormalizeForOpenApi(pattern), out var path)) return null;
        if (!path.TryGetProperty(method.ToLowerInvariant(), out var operation)) return null;
        if (!operation.TryGetProperty("requestBody", out var body)) return null;
        if (!body.GetProperty("content").TryGetProperty("application/json", out var json)) return null;
        var schema = json.GetProperty("schema");
        return Resolve(root, schema);
    }

    public static JsonElement Resolve(JsonElement root, JsonElement schema)
    {
        if (!schema.TryGetProperty("$ref", out var reference)) return schema;
        var name = reference.GetString()!.Split('/').Last();
        return root.GetProperty("components").GetProperty("schemas").GetProperty(name);
    }

    private static string NormalizeForOpenApi(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([A-Za-z0-9_]+)(:[^}]*)?\}", "{$1}");
}
