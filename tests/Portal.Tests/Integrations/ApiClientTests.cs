using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;

namespace Portal.Tests.Integrations;

/// <summary>
/// API clients through a real HTTP client against the host: the owner creates credentials, the system exchanges them
/// for a token at /connect/token and calls the JSON endpoints its scopes open, for its own practice only.
/// </summary>
public sealed class ApiClientTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_token_reads_its_practice_s_clients_and_another_practice_s_client_is_not_found()
    {
        var owner = await Host.NewProviderAsync();
        var mine = await Host.AddClientAsync(owner, "Mina", "Mine");
        var outsider = await Host.NewProviderAsync();
        var theirs = await Host.AddClientAsync(outsider, "Theo", "Theirs");
        var credentials = await CreateClientAsync(owner, ["clients.read"]);

        using var http = await ApiAsync(credentials);
        var one = await http.GetAsync($"/api/console/clients/{mine.ClientId}");
        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await one.Content.ReadAsStringAsync()).ShouldContain("Mina");
        (await http.GetAsync($"/api/console/clients/{theirs.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var list = await http.GetStringAsync("/api/console/clients");
        list.ShouldContain(mine.ClientId.ToString());
        list.ShouldNotContain(theirs.ClientId.ToString());
    }

    [Fact]
    public async Task A_token_reaches_only_the_endpoints_its_scopes_open()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var credentials = await CreateClientAsync(owner, ["clients.read"]);

        using var http = await ApiAsync(credentials);
        (await http.GetAsync($"/api/console/clients/{client.ClientId}/insurance")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await http.GetAsync($"/api/clients/{client.ClientId}/assessments")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await http.PostAsJsonAsync("/api/console/integrations/api-clients", new { name = "Mine now", scopes = new[] { "clients.read" } }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await http.GetAsync("/api/console/practice/minors")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await http.GetAsync("/console")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await http.PostAsJsonAsync($"/api/clients/{client.ClientId}/requests", new { kind = "AddInsurance" }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Each_scope_opens_its_endpoints_for_the_practice_s_clients_only()
    {
        var owner = await Host.NewProviderAsync();
        var mine = await Host.AddClientAsync(owner);
        var outsider = await Host.NewProviderAsync();
        var theirs = await Host.AddClientAsync(outsider);
        var credentials = await CreateClientAsync(owner, ["requests.write", "assessments.read", "insurance.read"]);

        using var http = await ApiAsync(credentials);
        (await http.GetAsync($"/api/clients/{mine.ClientId}/assessments")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/api/clients/{theirs.ClientId}/assessments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"/api/console/clients/{mine.ClientId}/insurance")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/api/console/clients/{theirs.ClientId}/insurance")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var requested = await http.PostAsJsonAsync($"/api/clients/{mine.ClientId}/requests", new { kind = "AddInsurance" });
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        (await http.PostAsJsonAsync($"/api/clients/{theirs.ClientId}/requests", new { kind = "AddInsurance" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"/api/clients/{mine.ClientId}/assignments")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/api/clients/{theirs.ClientId}/assignments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"/api/console/clients/{mine.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_kept_only_as_a_hash()
    {
        var owner = await Host.NewProviderAsync();
        var credentials = await CreateClientAsync(owner, ["clients.read"]);

        var listed = await Host.GetAsText("/api/console/integrations/api-clients", owner);
        listed.ShouldContain(credentials.ClientId);
        listed.ShouldNotContain(credentials.ClientSecret);
        await using var session = OpenSession();
        var stored = await session.Query<Portal.Integrations.ApiClients.ApiClient>().SingleAsync();
        JsonSerializer.Serialize(stored).ShouldNotContain(credentials.ClientSecret);
    }

    [Fact]
    public async Task A_wrong_secret_an_unknown_client_or_a_scope_not_granted_gets_no_token()
    {
        var owner = await Host.NewProviderAsync();
        var credentials = await CreateClientAsync(owner, ["clients.read"]);
        using var http = Host.Server.CreateClient();

        var wrong = await RequestTokenAsync(http, credentials.ClientId, credentials.ClientSecret + "x");
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("invalid_client");
        (await RequestTokenAsync(http, Guid.NewGuid().ToString("N"), credentials.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var scope = await RequestTokenAsync(http, credentials.ClientId, credentials.ClientSecret, "insurance.read");
        scope.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await scope.Content.ReadAsStringAsync()).ShouldContain("invalid_scope");
    }

    [Fact]
    public async Task Rotating_stops_the_old_secret_and_its_tokens_and_revoking_stops_everything_at_once()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var credentials = await CreateClientAsync(owner, ["clients.read"]);
        using var before = await ApiAsync(credentials);
        (await before.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rotated = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/integrations/api-clients/{credentials.Client.Id}/secret");
            s.StatusCodeShouldBe(200);
        });
        var fresh = await rotated.ReadAsJsonAsync<Credentials>();
        (await before.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var tokenless = Host.Server.CreateClient();
        (await RequestTokenAsync(tokenless, credentials.ClientId, credentials.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var after = await ApiAsync(fresh);
        (await after.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/integrations/api-clients/{credentials.Client.Id}/revoke");
            s.StatusCodeShouldBe(200);
        });
        (await after.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await RequestTokenAsync(tokenless, fresh.ClientId, fresh.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_past_its_ten_minutes_is_refused()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var credentials = await CreateClientAsync(owner, ["clients.read"]);
        using var http = await ApiAsync(credentials);

        Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await http.GetAsync($"/api/console/clients/{client.ClientId}");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        expired.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
    }

    [Fact]
    public async Task Only_the_owner_manages_API_clients_and_another_practice_s_owner_cannot_touch_them()
    {
        var owner = await Host.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var outsider = await Host.NewProviderAsync();
        var credentials = await CreateClientAsync(owner, ["clients.read"]);

        foreach (var member in new[] { frontDesk, clinician })
        {
            await Host.Scenario(s =>
            {
                s.As(member);
                s.Post.Json(new { name = "Sneaky", scopes = new[] { "clients.read" } }).ToUrl("/api/console/integrations/api-clients");
                s.StatusCodeShouldBe(403);
            });
        }
        await Host.Scenario(s =>
        {
            s.As(outsider);
            s.Post.Url($"/api/console/integrations/api-clients/{credentials.Client.Id}/revoke");
            s.StatusCodeShouldBe(404);
        });
        (await Host.GetAsText("/api/console/integrations/api-clients", outsider)).ShouldNotContain(credentials.ClientId);
    }

    [Fact]
    public async Task Bad_input_names_the_field()
    {
        var owner = await Host.NewProviderAsync();
        var result = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { name = "", scopes = new[] { "everything" }, requestsPerMinute = 0 }).ToUrl("/api/console/integrations/api-clients");
            s.StatusCodeShouldBe(400);
        });
        var problem = await result.ReadAsTextAsync();
        problem.ShouldContain("\"name\"");
        problem.ShouldContain("\"scopes\"");
        problem.ShouldContain("\"requestsPerMinute\"");
    }

    [Fact]
    public async Task Every_call_is_audited_with_the_API_client_s_id()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var credentials = await CreateClientAsync(owner, ["clients.read"]);
        using var http = await ApiAsync(credentials);
        await http.GetAsync($"/api/console/clients/{client.ClientId}");
        await http.GetAsync($"/api/console/clients/{client.ClientId}/insurance");

        await using var session = OpenSession();
        var entries = await session.Query<AuditEntry>().Where(e => e.ActorId == credentials.Client.Id).ToListAsync();
        entries.ShouldAllBe(e => e.ActorRole == "api-client");
        entries.ShouldContain(e => e.Action == "integrations.token.issued");
        entries.ShouldContain(e => e.Action == "api.call GET /api/console/clients/{clientId}" && e.ClientId == client.ClientId
                                   && e.Outcome!.StartsWith("200"));
        entries.ShouldContain(e => e.Action == "api.call GET /api/console/clients/{clientId}/insurance" && e.Outcome!.Contains("scope"));
    }

    [Fact]
    public async Task A_client_over_its_own_rate_limit_gets_429_and_other_clients_are_unaffected()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(owner);
        var slow = await CreateClientAsync(owner, ["clients.read"], requestsPerMinute: 3);
        var other = await CreateClientAsync(owner, ["clients.read"]);
        using var http = await ApiAsync(slow);
        using var otherHttp = await ApiAsync(other);

        for (var i = 0; i < 3; i++)
            (await http.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await otherHttp.GetAsync($"/api/console/clients/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_client_credentials_and_which_scope_each_operation_needs()
    {
        using var http = Host.Server.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2");
        scheme.GetProperty("type").GetString().ShouldBe("oauth2");
        var flow = scheme.GetProperty("flows").GetProperty("clientCredentials");
        flow.GetProperty("tokenUrl").GetString().ShouldBe("/connect/token");
        flow.GetProperty("scopes").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["clients.read", "requests.write", "assessments.read", "insurance.read", "documents.read", "webhooks.manage",
                "patient/Patient.read", "patient/Coverage.read", "patient/QuestionnaireResponse.read", "patient/Observation.read",
                "patient/Consent.read", "patient/Task.read", "patient/*.read"], ignoreOrder: true);

        var insurance = document.RootElement.GetProperty("paths").GetProperty("/api/console/clients/{clientId}/insurance").GetProperty("get");
        insurance.GetProperty("security").EnumerateArray()
            .Any(requirement => requirement.TryGetProperty("oauth2", out var scopes)
                                && scopes.EnumerateArray().Any(s => s.GetString() == "insurance.read"))
            .ShouldBeTrue();
        insurance.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object);
        var request = document.RootElement.GetProperty("paths").GetProperty("/api/clients/{clientId}/requests").GetProperty("post");
        request.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object);
        request.GetProperty("responses").TryGetProperty("404", out _).ShouldBeTrue();
        var create = document.RootElement.GetProperty("paths").GetProperty("/api/console/integrations/api-clients").GetProperty("post");
        create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
            .GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task Every_operation_a_scope_opens_declares_its_response_bodies_and_its_scopes_in_the_OpenAPI_document()
    {
        using var http = Host.Server.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        var failures = new List<string>();
        foreach (var (scope, method, route) in Portal.Integrations.ApiClients.ApiScopes.Routes.DistinctBy(r => (r.Method, r.Route)))
        {
            if (!paths.TryGetProperty(route, out var path) || !path.TryGetProperty(method.ToLowerInvariant(), out var operation))
            {
                failures.Add($"{method} {route}: not in the document");
                continue;
            }
            var bodies = operation.GetProperty("responses").EnumerateObject()
                .Where(r => r.Name.StartsWith('2') && r.Name != "204").ToList();
            if (bodies.Count == 0 || bodies.Any(r => !r.Value.TryGetProperty("content", out var content)
                                                     || !content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _))))
                failures.Add($"{method} {route}: a success answer without a declared body");
            var scopes = operation.GetProperty("security").EnumerateArray()
                .SelectMany(r => r.TryGetProperty("oauth2", out var s) ? s.EnumerateArray().Select(x => x.GetString()) : []);
            if (!scopes.Contains(scope)) failures.Add($"{method} {route}: does not name the scope {scope}");
        }
        failures.ShouldBeEmpty();
    }

    internal sealed record ClientView(Guid Id, string ClientId, string Name, string[] Scopes);

    internal sealed record Credentials(ClientView Client, string ClientId, string ClientSecret, string TokenEndpoint);

    private sealed record TokenBody(string access_token, string token_type, int expires_in);

    internal async Task<Credentials> CreateClientAsync(ProviderActor owner, string[] scopes, int? requestsPerMinute = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { name = "Practice EHR", scopes, requestsPerMinute }).ToUrl("/api/console/integrations/api-clients");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<Credentials>())!;
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        };
        if (scope is not null) form["scope"] = scope;
        return http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    /// <summary>A real HTTP client that obtained a token with the credentials and sends it on every call.</summary>
    internal async Task<HttpClient> ApiAsync(Credentials credentials)
    {
        var http = Host.Server.CreateClient();
        var response = await RequestTokenAsync(http, credentials.ClientId, credentials.ClientSecret);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!;
        token.token_type.ShouldBe("Bearer");
        token.expires_in.ShouldBeInRange(1, 600);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.access_token);
        return http;
    }
}
