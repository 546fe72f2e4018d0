// The Firely POCOs declare every element nullable; the assertions below are what says which must be there.
#nullable disable warnings
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Tests.Security;
using R4 = Hl7.Fhir.Model;

namespace Portal.Tests.Integrations;

/// <summary>
/// The read-only FHIR R4 API through a real HTTP client holding an API client's token: every resource it produces is
/// parsed strictly and validated against the R4 specification with the Firely SDK; search by patient and _lastUpdated;
/// errors as OperationOutcome; the scopes and their SMART-style aliases; each call audited with the API client's id.
/// </summary>
public sealed class FhirTests(PortalFixture fixture) : PortalTest(fixture)
{
    internal static readonly string[] FhirScopes = ["clients.read", "insurance.read", "assessments.read", "documents.read", "requests.write"];

    [Fact]
    public async Task Every_resource_of_the_practice_s_client_is_read_and_searched_and_passes_R4_validation()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner, "Fern", "Fhirson");
        var planted = await HealthRecordMarkers.PlantAsync(Host, owner, client, "Trouble sleeping", "Clause 7", "FHIRMEMBER1");
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { answers = new[] { 3, 3, 3, 2, 0, 0, 0 } }, 201);
        await Send(owner, HttpMethod.Post, $"/api/clients/{client.ClientId}/requests", new { kind = "EnrollInAutopay" }, 201);
        var signedCopy = JsonDocument.Parse(await Send(owner, HttpMethod.Get, $"/api/signatures/{planted.SignatureId}", null, 200));
        var hash = signedCopy.RootElement.GetProperty("signature").GetProperty("contentHash").GetString()!;

        using var http = await ApiAsync(await CreateClientAsync(owner, FhirScopes));
        var patientRef = $"Patient/{client.ClientId}";

        var patient = await ReadAsync<R4.Patient>(http, $"/fhir/{patientRef}");
        patient.Name.Single().Family.ShouldBe("Fhirson");
        patient.BirthDate.ShouldBe(client.DateOfBirth.ToString("yyyy-MM-dd"));
        patient.Meta.LastUpdated.ShouldNotBeNull();
        (await ReadAsync<R4.Bundle>(http, "/fhir/Patient")).Entry.Select(e => e.Resource.Id).ShouldBe([client.ClientId.ToString()]);

        var coverage = (await SearchAsync<R4.Coverage>(http, $"/fhir/Coverage?patient={patientRef}")).ShouldHaveSingleItem();
        coverage.SubscriberId.ShouldBe("FHIRMEMBER1");
        coverage.Beneficiary.Reference.ShouldBe(patientRef);
        coverage.Relationship.Coding.Single().Code.ShouldBe("self");
        coverage.Class.ShouldContain(c => c.Value == "0098765");
        (await ReadAsync<R4.Coverage>(http, $"/fhir/Coverage/{coverage.Id}")).SubscriberId.ShouldBe("FHIRMEMBER1");

        var responses = await SearchAsync<R4.QuestionnaireResponse>(http, $"/fhir/QuestionnaireResponse?patient={client.ClientId}");
        responses.Select(r => r.Questionnaire).ShouldBe(["http://loinc.org/q/44249-1", "http://loinc.org/q/69737-5"], ignoreOrder: true);
        var phq9 = responses.Single(r => r.Questionnaire.EndsWith("44249-1"));
        phq9.Item.Count.ShouldBe(10);
        phq9.Item.Single(i => i.LinkId == "44260-8").Answer.Single().Value.ShouldBeOfType<R4.Coding>().Code.ShouldBe("LA6570-1");
        ((R4.Integer)phq9.Item.Single(i => i.LinkId == "44261-6").Answer.Single().Value).Value.ShouldBe(3);
        (await ReadAsync<R4.QuestionnaireResponse>(http, $"/fhir/QuestionnaireResponse/{phq9.Id}")).Item.Count.ShouldBe(10);

        var observations = await SearchAsync<R4.Observation>(http, $"/fhir/Observation?patient={patientRef}");
        var phq9Total = observations.Single(o => o.Code.Coding.Single().Code == "44261-6");
        ((R4.Integer)phq9Total.Value).Value.ShouldBe(3);
        phq9Total.Interpretation.Single().Text.ShouldBe("minimal");
        phq9Total.DerivedFrom.Single().Reference.ShouldBe($"QuestionnaireResponse/{phq9.Id}");
        var gad7Total = observations.Single(o => o.Code.Coding.Single().Code == "70274-6");
        ((R4.Integer)gad7Total.Value).Value.ShouldBe(11);
        gad7Total.Interpretation.Single().Text.ShouldBe("moderate");
        (await ReadAsync<R4.Observation>(http, $"/fhir/Observation/{gad7Total.Id}")).Subject.Reference.ShouldBe(patientRef);

        var consent = (await SearchAsync<R4.Consent>(http, $"/fhir/Consent?patient={patientRef}")).ShouldHaveSingleItem();
        consent.Id.ShouldBe(planted.SignatureId.ToString());
        consent.Identifier.Single().Value.ShouldBe(hash.ToLowerInvariant());
        ((R4.Attachment)consent.Source).Title.ShouldContain("Privacy policy");
        (await ReadAsync<R4.Consent>(http, $"/fhir/Consent/{consent.Id}")).Patient.Reference.ShouldBe(patientRef);

        var task = (await SearchAsync<R4.Task>(http, $"/fhir/Task?patient={patientRef}")).ShouldHaveSingleItem();
        task.Status.ShouldBe(R4.Task.TaskStatus.Requested);
        task.Code.Coding.Single().Code.ShouldBe("EnrollInAutopay");
        task.For.Reference.ShouldBe(patientRef);
        (await ReadAsync<R4.Task>(http, $"/fhir/Task/{task.Id}")).Intent.ShouldBe(R4.Task.TaskIntent.Order);

        var metadata = await ReadAsync<R4.CapabilityStatement>(http, "/fhir/metadata");
        metadata.FhirVersion.ShouldBe(R4.FHIRVersion.N4_0_1);
        metadata.Rest.Single().Resource.Select(r => r.Type).ShouldBe(
            ["Patient", "Coverage", "QuestionnaireResponse", "Observation", "Consent", "Task"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_task_s_status_follows_its_outcome()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        await Send(owner, HttpMethod.Post, $"/api/clients/{client.ClientId}/requests", new { kind = "AddInsurance" }, 201);
        using var http = await ApiAsync(await CreateClientAsync(owner, ["requests.write"]));
        (await SearchAsync<R4.Task>(http, $"/fhir/Task?patient={client.ClientId}")).Single().Status.ShouldBe(R4.Task.TaskStatus.Requested);

        await Send(client, HttpMethod.Put, "/api/insurance/plans/primary", new
        {
            expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = "DONE1", groupNumber = "1",
            subscriber = new { isClient = true },
        }, 200);

        var done = await WaitForAsync(async () =>
            (await SearchAsync<R4.Task>(http, $"/fhir/Task?patient={client.ClientId}")).Single() is { Status: R4.Task.TaskStatus.Completed } t ? t : null);
        new R4.FhirDateTime(done.LastModified).ToDateTimeOffset(TimeSpan.Zero)
            .ShouldBeGreaterThanOrEqualTo(new R4.FhirDateTime(done.AuthoredOn).ToDateTimeOffset(TimeSpan.Zero));
    }

    [Fact]
    public async Task Search_by__lastUpdated_keeps_what_changed_in_the_range_and_a_wrong_parameter_is_a_400_naming_it()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var before = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Send(client, HttpMethod.Post, "/api/portal/assessments/phq9", new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }, 201);
        using var http = await ApiAsync(await CreateClientAsync(owner, ["assessments.read", "clients.read"]));
        string At(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"));
        var url = $"/fhir/Observation?patient={client.ClientId}&_lastUpdated=";

        (await SearchAsync<R4.Observation>(http, url + "ge" + At(before))).Count.ShouldBe(1);
        (await SearchAsync<R4.Observation>(http, url + "lt" + At(before))).ShouldBeEmpty();
        (await SearchAsync<R4.Observation>(http, url + "gt" + At(Clock.GetUtcNow().AddMinutes(1)))).ShouldBeEmpty();
        (await SearchAsync<R4.Observation>(http, url + "ge" + At(before) + "&_lastUpdated=le" + At(Clock.GetUtcNow().AddDays(1))))
            .Count.ShouldBe(1);
        (await SearchAsync<R4.Observation>(http, url + Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd"))).Count.ShouldBe(1);
        (await SearchAsync<R4.Patient>(http, "/fhir/Patient?_lastUpdated=lt" + At(before.AddDays(-1)))).ShouldBeEmpty();

        await ShouldBeOutcomeAsync(await http.GetAsync(url + "yesterday"), HttpStatusCode.BadRequest, "_lastUpdated");
        await ShouldBeOutcomeAsync(await http.GetAsync(url + "sa2026-01-01"), HttpStatusCode.BadRequest, "_lastUpdated");
        await ShouldBeOutcomeAsync(await http.GetAsync("/fhir/Observation"), HttpStatusCode.BadRequest, "patient");
        await ShouldBeOutcomeAsync(await http.GetAsync($"/fhir/Observation?patient={client.ClientId}&code=44261-6"), HttpStatusCode.BadRequest, "code");
    }

    [Fact]
    public async Task Errors_are_OperationOutcomes_and_only_JSON_is_served()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        using var http = await ApiAsync(await CreateClientAsync(owner, ["clients.read"]));

        await ShouldBeOutcomeAsync(await http.GetAsync($"/fhir/Patient/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not-found");
        await ShouldBeOutcomeAsync(await http.GetAsync("/fhir/Patient/not-an-id"), HttpStatusCode.NotFound, "not-found");
        await ShouldBeOutcomeAsync(await http.GetAsync($"/fhir/Coverage?patient={client.ClientId}"), HttpStatusCode.Forbidden, "insurance.read");
        using var anonymous = Host.Server.CreateClient();
        await ShouldBeOutcomeAsync(await anonymous.GetAsync($"/fhir/Patient/{client.ClientId}"), HttpStatusCode.Unauthorized, "login");

        using var xml = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Patient/{client.ClientId}");
        xml.Headers.Accept.ParseAdd("application/fhir+xml");
        await ShouldBeOutcomeAsync(await http.SendAsync(xml), HttpStatusCode.NotAcceptable, "JSON");
        await ShouldBeOutcomeAsync(await http.GetAsync($"/fhir/Patient/{client.ClientId}?_format=xml"), HttpStatusCode.NotAcceptable, "JSON");
        (await http.GetAsync($"/fhir/Patient/{client.ClientId}?_format=json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await ShouldBeOutcomeAsync(await http.PostAsync("/fhir/Patient", JsonContent.Create(new { resourceType = "Patient" })),
            HttpStatusCode.MethodNotAllowed, "read-only");
    }

    [Fact]
    public async Task SMART_aliases_name_what_the_client_s_scopes_already_read_and_no_more()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var reader = await CreateClientAsync(owner, ["clients.read"]);

        using var patientOnly = await ApiAsync(reader, "patient/Patient.read");
        (await patientOnly.GetAsync($"/fhir/Patient/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await patientOnly.GetAsync("/api/console/clients")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await patientOnly.GetAsync($"/fhir/Task?patient={client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        using var token = Host.Server.CreateClient();
        foreach (var scope in new[] { "patient/*.read", "patient/Coverage.read" })
        {
            var refused = await RequestTokenAsync(token, reader, scope);
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await refused.Content.ReadAsStringAsync()).ShouldContain("invalid_scope");
        }

        using var everything = await ApiAsync(await CreateClientAsync(owner, FhirScopes), "patient/*.read");
        (await everything.GetAsync($"/fhir/Coverage?patient={client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await everything.GetAsync($"/fhir/Consent?patient={client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await everything.GetAsync($"/api/console/clients/{client.ClientId}/insurance")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Every_FHIR_call_is_audited_with_the_API_client_s_id_and_the_patient_read()
    {
        var owner = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(owner);
        var credentials = await CreateClientAsync(owner, ["clients.read", "assessments.read"]);
        using var http = await ApiAsync(credentials);
        (await http.GetAsync($"/fhir/Patient/{client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/fhir/Observation?patient={client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await http.GetAsync($"/fhir/Coverage?patient={client.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await using var session = OpenSession();
        var entries = await session.Query<AuditEntry>().Where(e => e.ActorId == credentials.Client.Id).ToListAsync();
        entries.ShouldAllBe(e => e.ActorRole == "api-client");
        entries.ShouldContain(e => e.Action == "api.call GET /fhir/Patient/{id}" && e.ClientId == client.ClientId && e.Outcome!.StartsWith("200"));
        entries.ShouldContain(e => e.Action == "api.call GET /fhir/Observation" && e.ClientId == client.ClientId && e.Outcome!.StartsWith("200"));
        entries.ShouldContain(e => e.Action == "api.call GET /fhir/Coverage" && e.Outcome!.Contains("scope"));
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_FHIR_reads_with_their_scopes_and_FHIR_JSON_bodies()
    {
        using var http = Host.Server.CreateClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var read = document.RootElement.GetProperty("paths").GetProperty("/fhir/Observation/{id}").GetProperty("get");
        read.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/fhir+json", out _).ShouldBeTrue();
        read.GetProperty("security").EnumerateArray()
            .SelectMany(r => r.TryGetProperty("oauth2", out var scopes) ? scopes.EnumerateArray().Select(s => s.GetString()) : [])
            .ShouldBe(["assessments.read", "patient/Observation.read", "patient/*.read"], ignoreOrder: true);
    }

    [Fact]
    public void The_validator_used_here_refuses_what_R4_refuses()
    {
        // Non-vacuity of the checks above: a Task without status and intent, a Consent without a policy or policy rule.
        Should.Throw<ShouldAssertException>(() => FhirR4.ShouldBeValid(new R4.Task { Id = "t1" }));
        Should.Throw<ShouldAssertException>(() => FhirR4.ShouldBeValid(new R4.Consent
        {
            Id = "c1", Status = R4.Consent.ConsentState.Active,
            Scope = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment"),
            Category = [new R4.CodeableConcept("http://loinc.org", "59284-0")],
            Patient = new R4.ResourceReference("Patient/p1"),
        }));
    }

    private static async Task<T> ReadAsync<T>(HttpClient http, string url) where T : R4.Resource
    {
        var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        return FhirR4.ParseValid<T>(body);
    }

    private static async Task<List<T>> SearchAsync<T>(HttpClient http, string url) where T : R4.Resource
    {
        var bundle = await ReadAsync<R4.Bundle>(http, url);
        bundle.Type.ShouldBe(R4.Bundle.BundleType.Searchset);
        bundle.Total.ShouldBe(bundle.Entry.Count);
        return [.. bundle.Entry.Select(e => e.Resource.ShouldBeOfType<T>())];
    }

    private static async Task ShouldBeOutcomeAsync(HttpResponseMessage response, HttpStatusCode status, string mentioned)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        var outcome = FhirR4.ParseValid<R4.OperationOutcome>(body);
        outcome.Issue.ShouldNotBeEmpty();
        body.ShouldContain(mentioned);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException("The condition did not come true within 10 seconds.");
    }

    private async Task<string> Send(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await Host.TrackedScenarioAsync(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Put) s.Put.Json(body!).ToUrl(url);
            else s.Post.Json(body!).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsTextAsync();
    }

    internal sealed record ClientView(Guid Id, string ClientId);

    internal sealed record Credentials(ClientView Client, string ClientId, string ClientSecret);

    private sealed record TokenBody(string access_token, string scope);

    private async Task<Credentials> CreateClientAsync(ProviderActor owner, string[] scopes)
    {
        var created = await Send(owner, HttpMethod.Post, "/api/console/integrations/api-clients",
            new { name = "Practice EHR", scopes, requestsPerMinute = 6000 }, 201);
        return JsonSerializer.Deserialize<Credentials>(created, JsonSerializerOptions.Web)!;
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, Credentials credentials, string? scope) =>
        http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = credentials.ClientId, ["client_secret"] = credentials.ClientSecret,
            ["scope"] = scope ?? string.Empty,
        }.Where(p => p.Value.Length > 0)));

    /// <summary>A real HTTP client that obtained a token (for <paramref name="scope"/>, or all its scopes) and sends it.</summary>
    private async Task<HttpClient> ApiAsync(Credentials credentials, string? scope = null)
    {
        var http = Host.Server.CreateClient();
        var response = await RequestTokenAsync(http, credentials, scope);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.access_token);
        return http;
    }
}
