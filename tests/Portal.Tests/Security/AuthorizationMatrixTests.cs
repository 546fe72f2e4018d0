using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// The authorization matrix over every API endpoint and page the host serves (discovered, not listed): anonymous
/// callers are turned away, and another practice's provider or another client gets 401, 403 or 404 for practice A's
/// records, and never their data.
/// </summary>
public sealed class AuthorizationMatrixTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MarkerFirstName = "Zephyrine";
    private const string MarkerLastName = "Quillfeather";
    private const string MarkerMemberId = "ZQMEMBER40417";

    [Fact]
    public async Task Every_API_endpoint_not_declared_public_answers_401_to_anonymous_callers()
    {
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.IsPage && !r.AllowsAnonymous).ToList();
        routes.ShouldNotBeEmpty();

        var failures = new List<string>();
        foreach (var route in routes)
        {
            var url = route.Fill(p => ApiSurface.ValueFor(p, _ => Guid.NewGuid().ToString()));
            var result = await Send(route, url, actor: null);
            if (result.Context.Response.StatusCode != 401) failures.Add($"{route} -> {result.Context.Response.StatusCode}");
        }
        Console.WriteLine($"authorization matrix: {routes.Count} non-public API endpoints called anonymously " +
                          $"({routes.Count(r => r.IsUpload)} uploads)");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Portal_console_and_support_pages_are_never_public_and_send_anonymous_visitors_to_sign_in()
    {
        var pages = (await ApiSurface.DiscoverAsync(Host))
            .Where(r => r.IsPage && (r.Pattern.StartsWith("/console") || r.Pattern.StartsWith("/support") || r.Pattern.StartsWith("/portal")))
            .ToList();
        pages.ShouldNotBeEmpty();
        pages.ShouldContain(p => p.Pattern.StartsWith("/portal"));

        var failures = new List<string>();
        foreach (var page in pages)
        {
            if (page.AllowsAnonymous) failures.Add($"{page} is declared public");
            var result = await Send(page, page.Fill(p => ApiSurface.ValueFor(p, _ => Guid.NewGuid().ToString())), actor: null);
            var location = result.Context.Response.Headers.Location.ToString();
            // A form post without its antiforgery token is refused before authorization: also nothing for the caller.
            var refusedPost = page.Method != "GET" && result.Context.Response.StatusCode == 400;
            if (!refusedPost && (result.Context.Response.StatusCode != 302 || !location.Contains("/signin")))
                failures.Add($"{page} -> {result.Context.Response.StatusCode} {location}");
        }
        Console.WriteLine($"authorization matrix: {pages.Count} portal/console/support page routes (all methods) called anonymously");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_practice_s_provider_and_another_client_get_401_403_or_404_and_never_data()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA, MarkerFirstName, MarkerLastName);
        var clientA2 = await Host.NewClientWithAccountAsync(providerA);
        var providerB = await Host.NewProviderAsync();
        var clientB = await Host.NewClientWithAccountAsync(providerB);
        // Health and payment data of client A that must never reach anyone else.
        await Host.Scenario(s =>
        {
            s.As(clientA);
            s.Put.Json(new { expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = MarkerMemberId, groupNumber = "0098765",
                subscriber = new { isClient = true } }).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        // Non-vacuity: A's own provider does see the markers where the matrix looks.
        var own = await Send(new Route("GET", $"/api/console/clients/{clientA.ClientId}/insurance", false, false, null, null),
            $"/api/console/clients/{clientA.ClientId}/insurance", providerA);
        (await own.ReadAsTextAsync()).ShouldContain(MarkerMemberId);

        string IdsOfA(string parameter) => parameter switch
        {
            "clientId" => clientA.ClientId.ToString(),
            "providerId" => providerA.ProviderId.ToString(),
            "practiceId" => providerA.PracticeId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };

        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.AllowsAnonymous).ToList();
        var failures = new List<string>();
        var calls = 0;
        // Practice B's API client, holding every scope: a bearer token, not a person.
        var apiClientB = await BearerActor.ForAsync(Host, providerB);
        // Non-vacuity: the token works for its own practice.
        (await Send(new Route("GET", "/api/console/clients", false, false, null, null), "/api/console/clients", apiClientB))
            .Context.Response.StatusCode.ShouldBe(200);
        var strangers = new (string, ISignedIn)[]
            { ("provider B", providerB), ("client B", clientB), ("client A2", clientA2), ("practice B's API client", apiClientB) };
        foreach (var route in routes)
        {
            var url = route.Fill(p => ApiSurface.ValueFor(p, IdsOfA));
            foreach (var (who, actor) in strangers)
            {
                var result = await Send(route, url, actor);
                calls++;
                var status = result.Context.Response.StatusCode;
                var body = await result.ReadAsTextAsync();

                if (body.Contains(MarkerLastName) || body.Contains(MarkerMemberId) || body.Contains(clientA.Email)
                    || (who != "client A2" && body.Contains(providerA.Email)))
                    failures.Add($"{route} as {who}: response holds client A's data");

                var namesARecord = route.Parameters.Any(p => p == "id" || p.EndsWith("Id", StringComparison.Ordinal));
                var refused = status is 401 or 403 or 404 || (route.IsPage && status == 302)
                              // a write may fail validation before the record is looked up; that reveals nothing
                              || (route.Method != "GET" && status is 400 or 405 or 409 or 415);
                if (namesARecord && !refused && !(route.IsPage && status == 200 && !body.Contains(MarkerLastName)))
                    failures.Add($"{route} as {who} -> {status}");
            }
        }
        Console.WriteLine($"authorization matrix: {routes.Count} non-public routes " +
                          $"({routes.Count(r => r.IsPage)} pages, {routes.Count(r => !r.IsPage)} API) " +
                          $"x {strangers.Length} strangers " +
                          $"(another practice's provider, another practice's client, another client of the same provider, " +
                          $"another practice's API client with every scope) = {calls} calls");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_practice_s_API_client_reaches_no_FHIR_resource_of_this_practice_by_id_or_by_search()
    {
        var providerA = await Host.NewProviderAsync();
        var clientA = await Host.NewClientWithAccountAsync(providerA, MarkerFirstName, MarkerLastName);
        var planted = await HealthRecordMarkers.PlantAsync(Host, providerA, clientA, "Marker answer", "Marker clause", MarkerMemberId);
        await Host.Scenario(s =>
        {
            s.As(providerA);
            s.Post.Json(new { kind = "EnrollInAutopay" }).ToUrl($"/api/clients/{clientA.ClientId}/requests");
            s.StatusCodeShouldBe(201);
        });
        var assignments = await Host.Scenario(s =>
        {
            s.As(providerA);
            s.Get.Url($"/api/clients/{clientA.ClientId}/assignments");
        });
        using var assigned = System.Text.Json.JsonDocument.Parse(await assignments.ReadAsTextAsync());
        var taskId = assigned.RootElement.EnumerateArray().SelectMany(a => a.GetProperty("tasks").EnumerateArray())
            .Select(t => t.GetProperty("taskId").GetGuid()).First();

        var own = await BearerActor.ForAsync(Host, providerA);
        using var responses = System.Text.Json.JsonDocument.Parse(
            await (await Get($"/fhir/QuestionnaireResponse?patient={clientA.ClientId}", own)).ReadAsTextAsync());
        var resultId = responses.RootElement.GetProperty("entry")[0].GetProperty("resource").GetProperty("id").GetString();
        var reads = new[]
        {
            $"/fhir/Patient/{clientA.ClientId}", $"/fhir/Coverage/{clientA.ClientId}-primary",
            $"/fhir/QuestionnaireResponse/{resultId}", $"/fhir/Observation/{resultId}",
            $"/fhir/Consent/{planted.SignatureId}", $"/fhir/Task/{taskId}",
        };
        var searches = new[] { "Coverage", "QuestionnaireResponse", "Observation", "Consent", "Task" }
            .Select(type => $"/fhir/{type}?patient=Patient/{clientA.ClientId}")
            .Append($"/fhir/Patient?_id={clientA.ClientId}").Append("/fhir/Patient").ToArray();

        // Non-vacuity: practice A's own API client reads every one of them.
        foreach (var url in reads) (await Get(url, own)).Context.Response.StatusCode.ShouldBe(200, url);
        foreach (var url in searches) (await (await Get(url, own)).ReadAsTextAsync()).ShouldContain(clientA.ClientId.ToString());

        var stranger = await BearerActor.ForAsync(Host, await Host.NewProviderAsync());
        var failures = new List<string>();
        foreach (var url in reads.Concat(searches))
        {
            var result = await Get(url, stranger);
            var body = await result.ReadAsTextAsync();
            var status = result.Context.Response.StatusCode;
            // The answer may echo the id asked for (the 404's words, the bundle's self link), never a record's content.
            if (body.Contains(MarkerLastName) || body.Contains(MarkerMemberId) || body.Contains(clientA.Email) || body.Contains("\"entry\""))
                failures.Add($"{url}: holds client A's data");
            if (reads.Contains(url) ? status != 404 : status != 200 || !body.Contains("\"total\":0"))
                failures.Add($"{url} -> {status} {body}");
        }
        failures.ShouldBeEmpty();
    }

    private Task<IScenarioResult> Get(string url, BearerActor actor) => Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader("Authorization", $"Bearer {actor.Token}");
        s.IgnoreStatusCode();
    });

    // Page routes: a refusal is a page a person can read (in their own role's layout, with the way home), never a
    // blank 200; and no page answers its own people 200 with nothing in it.

    [Fact]
    public async Task Every_page_route_answers_outsiders_with_a_404_or_403_page_in_their_own_layout_never_200()
    {
        var a = await PracticeAWithRecordsAsync();
        var providerB = await Host.NewProviderAsync();
        var clientB = await Host.NewClientWithAccountAsync(providerB);
        var support = await Host.NewSupportAsync();

        var pages = (await ApiSurface.DiscoverAsync(Host))
            .Where(r => r.IsPage && r.Method == "GET" && !r.AllowsAnonymous).ToList();
        pages.ShouldContain(p => p.Pattern == "/console/clients/{clientId:guid}");
        var failures = new List<string>();
        var calls = 0;
        foreach (var page in pages)
        {
            var url = page.Fill(p => ApiSurface.ValueFor(p, a.IdOf));
            var outsiders = new List<(string Who, ISignedIn Actor)>();
            if (page.Parameters.Any(p => p == "id" || p.EndsWith("Id", StringComparison.Ordinal)))
                outsiders.AddRange([("provider B", providerB), ("client B", clientB)]);
            if (page.Pattern.StartsWith("/console") || page.Pattern.StartsWith("/support")) outsiders.Add(("client A", a.Client));
            if (page.Pattern.StartsWith("/support")) outsiders.Add(("provider A", a.Provider));
            if (page.Pattern.StartsWith("/portal")) outsiders.AddRange([("provider A", a.Provider), ("support", support)]);

            foreach (var (who, actor) in outsiders)
            {
                calls++;
                var (status, contentType, body) = await GetPageAsync(url, actor);
                var (area, home) = AreaOf(actor);
                var wording = status == 404 ? "not found" : "not allowed";
                if (status is not (403 or 404)) failures.Add($"{page} as {who} -> {status}");
                else if (!contentType.StartsWith("text/html", StringComparison.Ordinal)) failures.Add($"{page} as {who}: {contentType}");
                else if (!body.Contains($"class=\"{area}\"")) failures.Add($"{page} as {who}: {status} not in the {area} layout");
                else if (!MainText(body).Contains(wording, StringComparison.OrdinalIgnoreCase))
                    failures.Add($"{page} as {who}: {status} without \"{wording}\"");
                else if (!body.Contains($"href=\"{home}\"")) failures.Add($"{page} as {who}: no way back to {home}");
                // Client A's own name is in their header; anyone else must not see it.
                if (who != "client A" && body.Contains(MarkerLastName)) failures.Add($"{page} as {who}: response holds client A's data");
            }
        }
        Console.WriteLine($"authorization matrix: {pages.Count} page routes (GET) x their outsiders = {calls} calls, " +
                          "each a 404 or 403 page in the caller's layout");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task No_page_answers_its_own_people_200_with_an_empty_main()
    {
        var a = await PracticeAWithRecordsAsync();
        var support = await Host.NewSupportAsync();

        var pages = (await ApiSurface.DiscoverAsync(Host)).Where(r => r.IsPage && r.Method == "GET").ToList();
        var failures = new List<string>();
        var shown = new List<string>();
        foreach (var page in pages)
        {
            ISignedIn? actor = page.AllowsAnonymous ? null
                : page.Pattern.StartsWith("/portal") ? a.Client
                : page.Pattern.StartsWith("/support") ? support
                : a.Provider;
            var (status, _, body) = await GetPageAsync(page.Fill(p => ApiSurface.ValueFor(p, a.IdOf)), actor);
            if (status != 200) continue;
            shown.Add(page.Pattern);
            if (MainText(body).Length == 0) failures.Add($"{page} -> 200 with an empty <main>");
        }
        // Non-vacuity: the pages named by practice A's own records are shown to their own people.
        shown.ShouldContain("/console/clients/{clientId:guid}");
        shown.ShouldContain("/console/documents/{documentId:guid}");
        shown.ShouldContain("/portal/documents/{documentId:guid}");
        shown.ShouldContain("/console/workflows/{id:guid}");
        Console.WriteLine($"authorization matrix: {shown.Count} of {pages.Count} page routes answered 200 to their own people, " +
                          "each with content");
        failures.ShouldBeEmpty();
    }

    private sealed record PracticeA(ProviderActor Provider, ClientActor Client, Guid DocumentId, Guid FormId, Guid WorkflowId)
    {
        public string IdOf(string parameter) => parameter switch
        {
            "clientId" => Client.ClientId.ToString(),
            "providerId" => Provider.ProviderId.ToString(),
            "practiceId" => Provider.PracticeId.ToString(),
            "documentId" => DocumentId.ToString(),
            "formId" => FormId.ToString(),
            "id" => WorkflowId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };
    }

    /// <summary>Practice A with a client and the records page routes name: a published document and form, a workflow.</summary>
    private async Task<PracticeA> PracticeAWithRecordsAsync()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, MarkerFirstName, MarkerLastName);
        var document = await PostAsync(provider, "/api/documents", new { title = "Consent to treatment", markdown = "I consent." });
        await PostAsync(provider, $"/api/documents/{document.GetProperty("documentId").GetGuid()}/publish",
            new { revision = 1, requireExistingSignersToSignAgain = false });
        var form = await PostAsync(provider, "/api/forms", new
        {
            title = "Intake",
            schema = new
            {
                sections = new object[]
                {
                    new { key = "one", title = "First",
                        fields = new object[] { new { key = "insured", label = "Insured?", type = "YesNo", required = true } } },
                },
            },
        });
        await PostAsync(provider, $"/api/forms/{form.GetProperty("formId").GetGuid()}/publish", new { revision = 1 });
        var workflow = await PostAsync(provider, "/api/workflows", new
        {
            name = "New client intake",
            stages = new object[]
            {
                new { name = "Before the first session", tasks = new object[]
                {
                    new { key = "insurance", kind = "AddInsurance", title = "Add your insurance", dueInDays = 5 },
                } },
            },
        });
        return new PracticeA(provider, client, document.GetProperty("documentId").GetGuid(),
            form.GetProperty("formId").GetGuid(), workflow.GetProperty("id").GetGuid());
    }

    private async Task<System.Text.Json.JsonElement> PostAsync(ISignedIn actor, string url, object body)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Post.Json(body).ToUrl(url);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        result.Context.Response.StatusCode.ShouldBeInRange(200, 201, $"POST {url}: {text}");
        return text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A page as a browser gets it: HTML asked for, one redirect inside the site followed (not to sign-in).</summary>
    private async Task<(int Status, string ContentType, string Body)> GetPageAsync(string url, ISignedIn? actor)
    {
        for (var hop = 0; ; hop++)
        {
            var result = await Host.Scenario(s =>
            {
                if (actor is not null) s.As(actor);
                s.WithRequestHeader("Accept", "text/html");
                s.Get.Url(url);
                s.IgnoreStatusCode();
            });
            var response = result.Context.Response;
            // The cookie handler redirects to an absolute address on the same host.
            var location = Uri.TryCreate(response.Headers.Location.ToString(), UriKind.Absolute, out var absolute)
                ? absolute.PathAndQuery : response.Headers.Location.ToString();
            if (response.StatusCode == 302 && hop == 0 && location.StartsWith('/') && !location.StartsWith("/signin"))
            {
                url = location;
                continue;
            }
            return (response.StatusCode, response.ContentType ?? string.Empty, await result.ReadAsTextAsync());
        }
    }

    private static (string Area, string Home) AreaOf(ISignedIn actor) => actor switch
    {
        ClientActor => ("area-client", "/portal"),
        ProviderActor => ("area-console", "/console"),
        _ => ("area-support", "/support"),
    };

    /// <summary>The text inside the page's &lt;main&gt;, without tags; empty when there is none.</summary>
    private static string MainText(string html)
    {
        var main = System.Text.RegularExpressions.Regex.Match(html, "<main[^>]*>(.*?)</main>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        if (!main.Success) return string.Empty;
        var text = System.Text.RegularExpressions.Regex.Replace(main.Groups[1].Value, "<[^>]*>", " ");
        return System.Text.RegularExpressions.Regex.Replace(System.Net.WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
    }

    private Task<IScenarioResult> Send(Route route, string url, ISignedIn? actor) => Host.Scenario(s =>
    {
        if (actor is BearerActor bearer) s.WithRequestHeader("Authorization", $"Bearer {bearer.Token}");
        else if (actor is not null) s.As(actor);
        route.Ask(s, url);
    });
}

/// <summary>An API client of a practice calling with its bearer token (Integrations), as the matrix's stranger.</summary>
internal sealed record BearerActor(string Token) : ISignedIn
{
    public string Cookie => string.Empty;

    public static async Task<BearerActor> ForAsync(IAlbaHost host, ProviderActor owner)
    {
        var created = await host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new
            {
                name = "Matrix EHR",
                scopes = new[] { "clients.read", "requests.write", "assessments.read", "insurance.read", "documents.read", "webhooks.manage" },
                requestsPerMinute = 6000,
            }).ToUrl("/api/console/integrations/api-clients");
            s.StatusCodeShouldBe(201);
        });
        using var credentials = System.Text.Json.JsonDocument.Parse(await created.ReadAsTextAsync());
        using var http = host.Server.CreateClient();
        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.RootElement.GetProperty("clientId").GetString()!,
            ["client_secret"] = credentials.RootElement.GetProperty("clientSecret").GetString()!,
        }));
        using var token = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new BearerActor(token.RootElement.GetProperty("access_token").GetString()!);
    }
}
