using System.Text;
using System.Text.Json;
using Alba;
using Npgsql;
using Portal.BuildingBlocks.Security;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Generated hostile payloads against every JSON endpoint in the OpenAPI document, sent as a caller the endpoint
/// accepts: malformed JSON, wrong types, huge strings, deep nesting, unknown fields, invalid UTF-8 and oversized bodies
/// get 4xx, never 5xx, and change nothing in the database.
/// </summary>
public sealed class HostileInputTests(PortalFixture fixture) : PortalTest(fixture)
{
    private sealed record Payload(string Name, byte[] Body, bool MustBeRefused, string ContentType = "application/json");

    [Fact]
    public async Task Hostile_payloads_get_4xx_never_5xx_and_change_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var support = provider.Support;

        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.IsPage && r.BodySchema is not null).ToList();
        routes.ShouldNotBeEmpty();

        var failures = new List<string>();
        var tried = 0;
        foreach (var route in routes)
        {
            ISignedIn? caller = route.AllowsAnonymous ? null : route.Policy switch
            {
                PortalPolicies.Client => client,
                PortalPolicies.Support => support,
                _ => provider,
            };
            var url = route.Fill(name => name switch
            {
                "clientId" => client.ClientId.ToString(),
                "providerId" => provider.ProviderId.ToString(),
                "practiceId" => provider.PracticeId.ToString(),
                _ => Guid.NewGuid().ToString(),
            });

            foreach (var payload in PayloadsFor(route.BodySchema!.Value))
            {
                tried++;
                var before = await RowCountsAsync();
                // Tracked, so messages a request causes are handled before the database is counted again.
                var (_, result) = await TrackedScenario(s =>
                {
                    if (caller is not null) s.As(caller);
                    var request = route.Method switch { "PUT" => s.Put, "PATCH" => s.Patch, "DELETE" => s.Delete, _ => s.Post };
                    request.ByteArray(payload.Body).ToUrl(url);
                    s.WithRequestHeader("Content-Type", payload.ContentType);
                    s.IgnoreStatusCode();
                });
                var status = result.Context.Response.StatusCode;
                if (status >= 500) failures.Add($"{route} with {payload.Name} -> {status}");
                else if (payload.MustBeRefused && status < 400) failures.Add($"{route} with {payload.Name} -> {status}, expected 4xx");

                if (status >= 400)
                {
                    var after = await RowCountsAsync();
                    var changed = after.Where(kv => before.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => kv.Key).ToList();
                    if (changed.Count > 0) failures.Add($"{route} with {payload.Name} -> {status} yet changed {string.Join(", ", changed)}");
                }
            }
        }

        Console.WriteLine($"hostile input: {tried} payloads against {routes.Count} JSON endpoints");
        failures.ShouldBeEmpty();
    }

    private static IEnumerable<Payload> PayloadsFor(JsonElement schema)
    {
        var properties = schema.TryGetProperty("properties", out var props)
            ? props.EnumerateObject().Select(p => p.Name).ToList()
            : [];

        yield return Json("truncated JSON", "{\"a\": ");
        yield return Json("an array", "[1, 2, 3]");
        yield return Json("a string", "\"hello\"");
        yield return Json("a number", "12345");
        yield return Json("null", "null");
        yield return Json("deep nesting", string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000));
        var target = properties.FirstOrDefault() ?? "a";
        yield return new Payload("invalid UTF-8", [.. Encoding.ASCII.GetBytes($"{{\"{target}\": \""), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("\"}")],
            MustBeRefused: properties.Count > 0);
        yield return new Payload("text/plain", Encoding.UTF8.GetBytes("{}"), true, "text/plain");
        yield return new Payload("an oversized body", Encoding.UTF8.GetBytes("{\"a\": \"" + new string('x', 26 * 1024 * 1024) + "\"}"), true);
        yield return Json("unknown fields", "{\"zzUnknown\": 1, \"__proto__\": {\"admin\": true}}", mustBeRefused: false);
        if (properties.Count > 0)
        {
            yield return Json("wrong types", "{" + string.Join(",", properties.Select(p => $"\"{p}\": {{\"x\": [true, 1.5e308]}}")) + "}");
            yield return Json("huge strings", "{" + string.Join(",", properties.Select(p => $"\"{p}\": \"{new string('A', 200_000)}\"")) + "}");
            yield return Json("control characters", "{" + string.Join(",", properties.Select(p => $"\"{p}\": \"\\u0000\\u0007<script>\"")) + "}", mustBeRefused: false);
        }
    }

    private static Payload Json(string name, string json, bool mustBeRefused = true) => new(name, Encoding.UTF8.GetBytes(json), mustBeRefused);

    /// <summary>Exact row counts of every table the modules own (Wolverine's message tables and the audit log excluded).</summary>
    private static async Task<Dictionary<string, long>> RowCountsAsync()
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "select table_schema || '.' || table_name from information_schema.tables where table_type = 'BASE TABLE' " +
            "and table_schema not in ('pg_catalog', 'information_schema', 'wolverine', 'audit')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            var parts = table.Split('.');
            await using var count = new NpgsqlCommand($"select count(*) from \"{parts[0]}\".\"{parts[1]}\"", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync())!;
        }
        return counts;
    }
}
