using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Portal.BuildingBlocks.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Every text field of every JSON endpoint, one at a time, through the real host: a value longer than any limit the
/// portal sets is refused with 400 problem+json that names the field and its limit, and nothing is stored cut.
/// The endpoints and their fields come from the host's OpenAPI document, so a new endpoint is walked without being listed.
/// </summary>
public sealed partial class TextLimitTests(PortalFixture fixture) : PortalTest(fixture)
{
    /// <summary>Longer than the longest text the portal keeps (a document's 200,000 characters).</summary>
    private const int OverEveryLimit = 200_001;

    /// <summary>
    /// Fields whose value must be one of a known set (a time zone, the consent version, a payer, an instrument): a long
    /// value is refused as not one of them, and the message says what is accepted rather than a length.
    /// </summary>
    private static readonly HashSet<string> OneOfAKnownSet =
        ["timeZone", "consentVersion", "payerId", "instrument", "subscriber.relationship", "subjectId", "language", "clientReason"];

    /// <summary>
    /// Fields that are checked and never stored (a sign-in code, the processor's card token, the hash of the version
    /// shown), or that must be absent (a provider may not send a client's email): refused, but there is no length to name.
    /// </summary>
    private static readonly HashSet<(string Route, string Field)> NeverStored =
    [
        ("POST /api/account/authenticator/confirm", "code"),
        ("POST /api/autopay/enrolment", "cardToken"),
        ("PUT /api/autopay/card", "cardToken"),
        ("POST /api/portal/documents/{documentId}/signatures", "contentHash"),
        ("PUT /api/console/clients/{clientId}", "email"),
    ];

    [Fact]
    public async Task Every_text_field_of_every_JSON_endpoint_refuses_a_value_over_its_limit_naming_the_field_and_the_limit()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.IsPage && r.BodySchema is not null).ToList();
        var openApi = await OpenApiAsync();

        var failures = new List<string>();
        var walked = 0;
        foreach (var route in routes)
        {
            ISignedIn? caller = route.AllowsAnonymous ? null : route.Policy switch
            {
                PortalPolicies.Client => client,
                PortalPolicies.Support => provider.Support,
                _ => provider,
            };
            var url = route.Fill(name => ApiSurface.ValueFor(name, id => id switch
            {
                "clientId" => client.ClientId.ToString(),
                "providerId" => provider.ProviderId.ToString(),
                "practiceId" => provider.PracticeId.ToString(),
                _ => Guid.NewGuid().ToString(),
            }));

            foreach (var field in TextFields(openApi, route.BodySchema!.Value, prefix: null, depth: 0))
            {
                walked++;
                var (_, result) = await TrackedScenario(s =>
                {
                    if (caller is not null) s.As(caller);
                    var body = Body(field, new string('x', OverEveryLimit));
                    var request = route.Method == "PUT" ? s.Put : s.Post;
                    request.ByteArray(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString())).ToUrl(url);
                    s.WithRequestHeader("Content-Type", "application/json");
                    s.IgnoreStatusCode();
                });
                var status = result.Context.Response.StatusCode;
                var text = await result.ReadAsTextAsync();
                if (status != 400 || result.Context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
                {
                    failures.Add($"{route} {field}: {status} {Shorten(text)}");
                    continue;
                }
                var messages = Messages(text, field);
                if (messages is null) failures.Add($"{route} {field}: the refusal does not name the field: {Shorten(text)}");
                else if (!OneOfAKnownSet.Contains(field)
                    && !NeverStored.Contains((route.ToString(), field))
                    && !messages.Any(m => Number().IsMatch(m)))
                    failures.Add($"{route} {field}: the refusal does not say the limit: {string.Join(" ", messages)}");
            }
        }

        Console.WriteLine($"text limits: {walked} text fields of {routes.Count} JSON endpoints, each sent {OverEveryLimit} characters");
        walked.ShouldBeGreaterThan(30);
        failures.ShouldBeEmpty();
    }

    /// <summary>The JSON paths of the text fields of a request body ("title", "subscriber.name"), nested objects included.</summary>
    private static IEnumerable<string> TextFields(JsonElement root, JsonElement schema, string? prefix, int depth)
    {
        schema = ApiSurface.Resolve(root, schema);
        if (depth > 2 || !schema.TryGetProperty("properties", out var properties)) yield break;
        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix is null ? property.Name : $"{prefix}.{property.Name}";
            var value = ApiSurface.Resolve(root, property.Value);
            if (value.TryGetProperty("enum", out _) || value.TryGetProperty("format", out _)) continue;
            var types = Types(value);
            if (types.Contains("string")) yield return path;
            else if (types.Contains("object") || value.TryGetProperty("properties", out _))
                foreach (var nested in TextFields(root, value, path, depth + 1)) yield return nested;
        }
    }

    /// <summary>A schema's types: "string", or ["null", "string"] for a nullable one.</summary>
    private static HashSet<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    /// <summary>A body with only the field at <paramref name="path"/> set.</summary>
    private static JsonObject Body(string path, string value)
    {
        var parts = path.Split('.');
        var body = new JsonObject();
        var current = body;
        foreach (var part in parts[..^1])
        {
            var next = new JsonObject();
            current[part] = next;
            current = next;
        }
        current[parts[^1]] = value;
        return body;
    }

    /// <summary>The messages the problem gives for the field, or null when it does not name it.</summary>
    private static string[]? Messages(string problem, string field)
    {
        using var document = JsonDocument.Parse(problem);
        if (!document.RootElement.TryGetProperty("errors", out var errors)) return null;
        foreach (var error in errors.EnumerateObject())
            if (string.Equals(error.Name, field, StringComparison.OrdinalIgnoreCase))
                return [.. error.Value.EnumerateArray().Select(m => m.GetString() ?? string.Empty)];
        return null;
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        var result = await Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        using var document = JsonDocument.Parse(await result.ReadAsTextAsync());
        return document.RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"\d")]
    private static partial Regex Number();
}
