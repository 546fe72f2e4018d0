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
        var refused = 0;
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
                    refused++;
                    var after = await RowCountsAsync();
                    var changed = after.Where(kv => before.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => kv.Key).ToList();
                    if (changed.Count > 0) failures.Add($"{route} with {payload.Name} -> {status} yet changed {string.Join(", ", changed)}");
                }
            }
        }

        Console.WriteLine($"hostile input: {tried} payloads against {routes.Count} JSON endpoints; {refused} refused with 4xx, " +
                          "each followed by a snapshot (row count + content hash) of every module table");
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
        yield return new Payload("invalid UTF-8",
            [.. Encoding.ASCII.GetBytes($"{{\"{target}\": \""), 0xC3, 0x28, 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("\"}")],
            MustBeRefused: properties.Count > 0);
        yield return new Payload("text/plain", Encoding.UTF8.GetBytes("{}"), true, "text/plain");
        yield return new Payload("an oversized body", Encoding.UTF8.GetBytes("{\"a\": \"" + new string('x', 26 * 1024 * 1024) + "\"}"), true);
        yield return Json("unknown fields", "{\"zzUnknown\": 1, \"__proto__\": {\"admin\": true}}", mustBeRefused: false);
        if (properties.Count > 0)
        {
            yield return Json("wrong types", "{" + string.Join(",", properties.Select(p => $"\"{p}\": {{\"x\": [true, 1.5e308]}}")) + "}");
            yield return Json("huge strings", "{" + string.Join(",", properties.Select(p => $"\"{p}\": \"{new string('A', 200_000)}\"")) + "}");
            yield return Json("control characters",
                "{" + string.Join(",", properties.Select(p => $"\"{p}\": \"\\u0000\\u0007<script>\"")) + "}", mustBeRefused: false);
        }
    }

    private static Payload Json(string name, string json, bool mustBeRefused = true) => new(name, Encoding.UTF8.GetBytes(json), mustBeRefused);

    [Fact]
    public async Task Uploads_of_the_wrong_type_disguised_files_and_oversized_files_are_refused_and_change_nothing()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        // A record to attach to, so a refusal is about the file and not about a missing plan.
        await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(new { expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = "XJH123456789", groupNumber = "0098765",
                subscriber = new { isClient = true } }).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });

        var uploads = (await ApiSurface.DiscoverAsync(Host)).Where(r => r.IsUpload).ToList();
        uploads.ShouldNotBeEmpty();
        var png = Insurance.CardPictures.Png;
        var files = new (string Name, byte[] Content, string FileName, string ContentType)[]
        {
            ("a text file", "just some text, not a picture"u8.ToArray(), "notes.txt", "text/plain"),
            ("a PDF", "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"u8.ToArray(), "card.pdf", "application/pdf"),
            ("an SVG with script named .png", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(),
                "card.png", "image/png"),
            ("HTML named .jpg", "<html><body><script>alert(1)</script></body></html>"u8.ToArray(), "card.jpg", "image/jpeg"),
            ("a ZIP named .png", [0x50, 0x4B, 0x03, 0x04, .. new byte[200]], "card.png", "image/png"),
            ("an ELF executable named .jpg", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, .. new byte[200]], "card.jpg", "image/jpeg"),
            ("a truncated PNG", png[..24], "card.png", "image/png"),
            ("a PNG signature followed by junk", [.. png[..8], .. new byte[5000]], "card.png", "image/png"),
            ("a GIF", "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray(), "card.gif", "image/gif"),
            ("an empty file", [], "card.png", "image/png"),
            ("an oversized PNG (11 MB)", [.. png, .. new byte[11 * 1024 * 1024]], "card.png", "image/png"),
            ("an oversized body (26 MB)", [.. png, .. new byte[26 * 1024 * 1024]], "card.png", "image/png"),
        };

        var failures = new List<string>();
        var tried = 0;
        foreach (var route in uploads)
        {
            ISignedIn caller = route.Policy == PortalPolicies.Client ? client : provider;
            var url = route.Fill(p => ApiSurface.ValueFor(p, name => name == "clientId" ? client.ClientId.ToString() : Guid.NewGuid().ToString()));
            // Non-vacuity: the route takes a real PNG from the same caller.
            var version = await InsuranceVersionAsync(client);
            var (_, accepted) = await TrackedScenario(s =>
            {
                s.As(caller);
                s.Post.MultipartFormData(Insurance.InsuranceApi.Photo(png, "card.png", version)).ToUrl(url);
                s.IgnoreStatusCode();
            });
            if (accepted.Context.Response.StatusCode != 200)
                failures.Add($"{route}: a real PNG -> {accepted.Context.Response.StatusCode}, expected 200");

            var current = await InsuranceVersionAsync(client);
            foreach (var file in files)
            {
                tried++;
                var before = await RowCountsAsync();
                var (_, result) = await TrackedScenario(s =>
                {
                    s.As(caller);
                    s.Post.MultipartFormData(Insurance.InsuranceApi.Photo(file.Content, file.FileName, current, file.ContentType)).ToUrl(url);
                    s.IgnoreStatusCode();
                });
                var status = result.Context.Response.StatusCode;
                if (status is < 400 or >= 500) failures.Add($"{route} with {file.Name} -> {status}");
                var after = await RowCountsAsync();
                var changed = after.Where(kv => before.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => kv.Key).ToList();
                if (changed.Count > 0) failures.Add($"{route} with {file.Name} -> {status} yet changed {string.Join(", ", changed)}");
            }

            // Not a JSON body either: the upload endpoint refuses it before reading anything.
            tried++;
            var json = await Host.Scenario(s =>
            {
                s.As(caller);
                s.Post.Json(new { file = Convert.ToBase64String(png), expectedVersion = current }).ToUrl(url);
                s.IgnoreStatusCode();
            });
            if (json.Context.Response.StatusCode is < 400 or >= 500) failures.Add($"{route} with a JSON body -> {json.Context.Response.StatusCode}");

        }

        Console.WriteLine($"hostile uploads: {tried} refused uploads against {uploads.Count} upload endpoints " +
                          $"({string.Join(", ", uploads)}), each with a database snapshot before and after");
        failures.ShouldBeEmpty();
    }

    private async Task<long> InsuranceVersionAsync(ClientActor client)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/insurance");
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        result.Context.Response.StatusCode.ShouldBe(200, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>
    /// A snapshot of every table the modules own (Wolverine's message tables and the audit log excluded): its exact
    /// row count and a hash of its full content, so an update is seen as well as an insert or delete.
    /// </summary>
    private static async Task<Dictionary<string, string>> RowCountsAsync()
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

        var martenTables = new HashSet<string>();
        await using (var list = new NpgsqlCommand(
            "select table_schema || '.' || table_name from information_schema.columns " +
            "where column_name = 'data' and table_name like 'mt_doc_%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) martenTables.Add(reader.GetString(0));
        }

        var counts = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            var parts = table.Split('.');
            // Marten tables: the document itself (an idempotent re-upsert only touches Marten's version/timestamp columns).
            var row = martenTables.Contains(table) ? "t.data::text" : "t::text";
            await using var count = new NpgsqlCommand(
                $"select count(*) || ':' || coalesce(md5(string_agg(md5({row}), '' order by md5({row}))), '') " +
                $"from \"{parts[0]}\".\"{parts[1]}\" t", connection);
            counts[table] = (string)(await count.ExecuteScalarAsync())!;
        }
        return counts;
    }
}
