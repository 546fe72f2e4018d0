using System.Net.Http.Headers;
using System.Text.Json;
using Alba;
using Marten;
using Portal.BuildingBlocks.Auditing;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// Support sees account, delivery, audit and system pages and a client's identity and portal status, but not the
/// client's health information (assessment scores and answers, safety flags, intake answers, insurance, signed
/// contents) unless it records a reason: a break-glass grant, per support user and client, for 30 minutes by the
/// portal clock, audited with the reason, and told to the client's provider.
/// </summary>
public sealed class BreakGlassTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string MemberId = "ZQMEMBER55120";
    private const string IntakeAnswer = "Glimmerfen nights without sleep";
    private const string DocumentClause = "Vorpalquine privacy clause";
    private const string Reason = "Client phoned: her intake form will not open, ticket 4471";

    /// <summary>What only the client's provider (and support under a grant) may see, as each read path renders it.</summary>
    private static readonly string[] Markers = [MemberId, IntakeAnswer, DocumentClause, "\"safetyFlag\"", "Item 9 above 0"];

    private sealed record HealthRecords(ProviderActor Provider, ClientActor Client, Guid ResponseId, Guid SignatureId, Guid PhotoId);

    [Fact]
    public async Task Support_without_a_grant_gets_no_health_information_from_any_endpoint_or_page_it_can_reach()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();

        var (bodies, failures) = await WalkAsSupportAsync(records, support);
        foreach (var (route, body) in bodies)
            foreach (var marker in Markers.Where(m => body.Contains(m, StringComparison.Ordinal)))
                failures.Add($"{route} shows support \"{marker}\"");
        failures.ShouldBeEmpty();

        // Identity and portal status stay in view: the profile names the client, and the break-glass form is there.
        var profile = bodies[$"GET /console/clients/{{clientId:guid}}"];
        profile.ShouldContain(records.Client.LastName);
        profile.ShouldContain("Health information is hidden from support. Record a reason to open it.");
        profile.ShouldContain("Open health information");

        // Each read path of health information refuses with the sentence that says what to do.
        foreach (var url in HealthReads(records))
        {
            var result = await Get(support, url, 403);
            (await result.ReadAsTextAsync()).ShouldContain("Health information is hidden from support", customMessage: url);
        }
        foreach (var page in HealthPages(records))
        {
            var result = await Get(support, page, 403, html: true);
            (await result.ReadAsTextAsync()).ShouldContain("Health information is hidden from support. Record a reason to open it.");
        }
    }

    [Fact]
    public async Task Support_with_a_grant_reads_the_health_information_and_each_read_is_audited()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();
        await OpenAsync(support, records.Client, Reason, 201);

        var (bodies, failures) = await WalkAsSupportAsync(records, support);
        failures.ShouldBeEmpty();
        var everything = string.Join("\n", bodies.Values);
        foreach (var marker in Markers) everything.ShouldContain(marker, customMessage: $"{marker} not shown under the grant");
        foreach (var url in HealthReads(records)) await Get(support, url, 200);
        foreach (var page in HealthPages(records)) await Get(support, page, 200, html: true);
        (await (await Get(support, $"/console/clients/{records.Client.ClientId}", 200, html: true)).ReadAsTextAsync())
            .ShouldContain(MemberId);

        await using var session = OpenSession();
        var reads = await session.Query<AuditEntry>()
            .Where(a => a.ActorId == support.UserId && a.ClientId == records.Client.ClientId && a.Outcome == null).ToListAsync();
        reads.Select(a => a.Action).ShouldContain("forms.assessment.read");
        reads.Select(a => a.Action).ShouldContain("forms.response.read");
        reads.Select(a => a.Action).ShouldContain("forms.signature.read");
        reads.Select(a => a.Action).ShouldContain("insurance.read");
        reads.Select(a => a.Action).ShouldContain("insurance.photo.read");
    }

    [Fact]
    public async Task The_grant_ends_after_30_minutes_by_the_portal_clock_or_when_support_ends_it()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();
        var assessments = $"/api/clients/{records.Client.ClientId}/assessments";

        var opened = await OpenAsync(support, records.Client, Reason, 201);
        (opened.GetProperty("expiresAt").GetDateTimeOffset() - opened.GetProperty("openedAt").GetDateTimeOffset())
            .ShouldBe(TimeSpan.FromMinutes(30));
        // Opening again while it runs answers the running grant; nothing new is granted or told.
        (await OpenAsync(support, records.Client, "again", 200)).GetProperty("grantId").GetGuid()
            .ShouldBe(opened.GetProperty("grantId").GetGuid());

        Clock.Advance(TimeSpan.FromMinutes(29));
        support = await SignInAgainAsync(support);
        await Get(support, assessments, 200);
        var left = await Get(support, $"/console/clients/{records.Client.ClientId}", 200, html: true);
        (await left.ReadAsTextAsync()).ShouldContain("1 minute");
        Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        support = await SignInAgainAsync(support);
        await Get(support, assessments, 403);
        await Get(support, $"/api/support/clients/{records.Client.ClientId}/health-access", 404);

        // A new grant, ended early.
        await OpenAsync(support, records.Client, Reason, 201);
        await Get(support, assessments, 200);
        await Host.Scenario(s =>
        {
            s.As(support);
            s.Delete.Url($"/api/support/clients/{records.Client.ClientId}/health-access");
            s.StatusCodeShouldBe(204);
        });
        await Get(support, assessments, 403);
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "health.break-glass.ended" && a.ActorId == support.UserId))
            .ShouldBe(1);
    }

    [Fact]
    public async Task The_reason_is_in_the_audit_log_and_the_provider_is_told_who_opened_it_and_why_without_health_detail()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();
        Mail.Clear();

        await OpenAsync(support, records.Client, Reason, 201);

        await using (var session = OpenSession())
        {
            var entry = (await session.Query<AuditEntry>().Where(a => a.Action == "health.break-glass.opened").ToListAsync())
                .ShouldHaveSingleItem();
            entry.ActorId.ShouldBe(support.UserId);
            entry.ActorRole.ShouldBe("support");
            entry.ClientId.ShouldBe(records.Client.ClientId);
            entry.Outcome.ShouldNotBeNull().ShouldContain(Reason);
        }
        // Support reads the audit log and finds the reason there.
        var auditPage = await (await Get(support, "/support/audit", 200, html: true)).ReadAsTextAsync();
        auditPage.ShouldContain("health.break-glass.opened");
        auditPage.ShouldContain(Reason);

        var email = Mail.To(records.Provider.Email).Where(m => m.Subject?.Contains("health information") == true).ShouldHaveSingleItem();
        email.Subject.ShouldBe($"Support opened {records.Client.FirstName} {records.Client.LastName[0]}.'s health information");
        var (text, html) = (email.TextBody ?? string.Empty, email.HtmlBody ?? string.Empty);
        text.ShouldContain("Sam Support");
        text.ShouldContain(Reason);
        foreach (var marker in Markers) (text + html).ShouldNotContain(marker);
        Mail.Messages.ShouldNotContain(m => m.To.ToString().Contains(records.Client.Email));

        var inbox = await (await Get(records.Provider, "/api/notifications", 200)).ReadAsTextAsync();
        inbox.ShouldContain("Sam Support (support) opened");
        inbox.ShouldContain(Reason);
    }

    [Fact]
    public async Task Another_support_user_s_grant_does_not_open_the_client_for_you()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();
        var colleague = await Host.NewSupportAsync();
        await OpenAsync(colleague, records.Client, Reason, 201);

        await Get(colleague, $"/api/clients/{records.Client.ClientId}/assessments", 200);
        await Get(support, $"/api/clients/{records.Client.ClientId}/assessments", 403);
        await Get(support, $"/api/console/clients/{records.Client.ClientId}/insurance", 403);
        await Get(support, $"/api/support/clients/{records.Client.ClientId}/health-access", 404);
        var profile = await (await Get(support, $"/console/clients/{records.Client.ClientId}", 200, html: true)).ReadAsTextAsync();
        profile.ShouldContain("Open health information");
        profile.ShouldNotContain(MemberId);
    }

    [Fact]
    public async Task A_missing_or_too_long_reason_is_refused_naming_the_field_and_only_support_can_open_a_grant()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();

        foreach (var reason in new[] { "", "   ", new string('x', 501) })
        {
            var refused = await OpenAsync(support, records.Client, reason, 400);
            refused.GetProperty("errors").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ShouldContain("reason");
        }
        (await OpenAsync(support, records.Client, null, 400)).GetProperty("errors").EnumerateObject()
            .Select(p => p.Name.ToLowerInvariant()).ShouldContain("reason");
        await Host.Scenario(s =>
        {
            s.As(support);
            s.Post.Json(new { reason = Reason }).ToUrl($"/api/support/clients/{Guid.NewGuid()}/health-access");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.As(records.Provider);
            s.Post.Json(new { reason = Reason }).ToUrl($"/api/support/clients/{records.Client.ClientId}/health-access");
            s.StatusCodeShouldBe(403);
        });
        await using var session = OpenSession();
        (await session.Query<AuditEntry>().CountAsync(a => a.Action == "health.break-glass.opened")).ShouldBe(0);
        await Get(support, $"/api/clients/{records.Client.ClientId}/assessments", 403);

        // The exact limit is accepted.
        await OpenAsync(support, records.Client, new string('x', 500), 201);
    }

    [Fact]
    public async Task Support_opens_and_ends_the_grant_from_the_client_s_profile_page()
    {
        var records = await HealthRecordsAsync();
        var support = await Host.NewSupportAsync();
        var profileUrl = $"/console/clients/{records.Client.ClientId}";
        var formUrl = $"/support/clients/{records.Client.ClientId}/health-access";

        var profile = await Host.OpenPageAsync(support, profileUrl);
        var empty = await Host.Scenario(s => s.PostForm(support, profile, formUrl, "", new Dictionary<string, string> { ["reason"] = "" }));
        empty.Context.Response.StatusCode.ShouldBe(400);
        (await empty.ReadAsTextAsync()).ShouldContain("Give the reason you need to see this client");

        var opened = await Host.TrackedScenarioAsync(s =>
            s.PostForm(support, profile, formUrl, "", new Dictionary<string, string> { ["reason"] = Reason }));
        opened.Result.Context.Response.StatusCode.ShouldBe(302);
        opened.Result.Context.Response.Headers.Location.ToString().ShouldBe(profileUrl);

        var shown = await Host.OpenPageAsync(support, profileUrl);
        shown.Html.ShouldContain("End now");
        shown.Html.ShouldContain("30 minutes");
        shown.Html.ShouldContain(MemberId);
        shown.Html.ShouldContain("Item 9 above 0");

        var ended = await Host.Scenario(s => s.PostForm(support, shown, formUrl, "End", new Dictionary<string, string>()));
        ended.Context.Response.StatusCode.ShouldBe(302);
        var after = await (await Get(support, profileUrl, 200, html: true)).ReadAsTextAsync();
        after.ShouldContain("Open health information");
        after.ShouldNotContain(MemberId);
        after.ShouldNotContain("Item 9 above 0");
    }

    /// <summary>
    /// Every GET route support is allowed to call (discovered, like the authorization matrix), with the ids of the
    /// client's records filled in; the body of each answer by route, and any answer that broke (5xx).
    /// </summary>
    private async Task<(Dictionary<string, string> Bodies, List<string> Failures)> WalkAsSupportAsync(HealthRecords records,
        SupportActor support)
    {
        string Ids(string parameter) => parameter switch
        {
            "clientId" => records.Client.ClientId.ToString(),
            "providerId" => records.Provider.ProviderId.ToString(),
            "practiceId" => records.Provider.PracticeId.ToString(),
            "responseId" => records.ResponseId.ToString(),
            "signatureId" => records.SignatureId.ToString(),
            "photoId" => records.PhotoId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };
        var routes = (await ApiSurface.DiscoverAsync(Host))
            .Where(r => r.Method == "GET" && !r.AllowsAnonymous && (r.Policy is null || PortalPolicies.AdmitsSupport(r.Policy)))
            .ToList();
        routes.Count.ShouldBeGreaterThan(20);

        var bodies = new Dictionary<string, string>();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var url = route.Fill(p => ApiSurface.ValueFor(p, Ids));
            var result = await Host.Scenario(s =>
            {
                s.As(support);
                s.WithRequestHeader("Accept", route.IsPage ? "text/html" : "application/json");
                s.Get.Url(url);
                s.IgnoreStatusCode();
            });
            if (result.Context.Response.StatusCode >= 500) failures.Add($"{route} -> {result.Context.Response.StatusCode}");
            bodies[route.ToString()] = await result.ReadAsTextAsync();
        }
        Console.WriteLine($"break-glass walk: {routes.Count} GET routes support may call");
        return (bodies, failures);
    }

    private static IEnumerable<string> HealthReads(HealthRecords r) =>
    [
        $"/api/clients/{r.Client.ClientId}/assessments",
        $"/api/clients/{r.Client.ClientId}/assessments/phq9/chart.svg",
        $"/api/clients/{r.Client.ClientId}/safety-flags",
        $"/api/clients/{r.Client.ClientId}/form-responses",
        $"/api/form-responses/{r.ResponseId}",
        $"/api/signatures/{r.SignatureId}",
        $"/api/console/clients/{r.Client.ClientId}/insurance",
        $"/api/insurance/photos/{r.PhotoId}",
    ];

    private static IEnumerable<string> HealthPages(HealthRecords r) =>
        [$"/console/form-responses/{r.ResponseId}", $"/console/signatures/{r.SignatureId}"];

    /// <summary>
    /// A client with every kind of health information: a PHQ-9 with item 9 above 0 (a safety flag), an intake form's
    /// answers, insurance with a card photo, and a signed document.
    /// </summary>
    private async Task<HealthRecords> HealthRecordsAsync()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Zephyrine", "Quillfeather");

        var planted = await HealthRecordMarkers.PlantAsync(Host, provider, client, IntakeAnswer, DocumentClause, MemberId);
        return new HealthRecords(provider, client, planted.ResponseId, planted.SignatureId, planted.PhotoId);
    }

    private async Task<JsonElement> OpenAsync(SupportActor support, ClientActor client, string? reason, int status)
    {
        var (_, result) = await Host.TrackedScenarioAsync(s =>
        {
            s.As(support);
            s.Post.Json(new { reason }).ToUrl($"/api/support/clients/{client.ClientId}/health-access");
            s.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.Clone();
    }

    private async Task<SupportActor> SignInAgainAsync(SupportActor support) =>
        support with { Cookie = (await Host.SignInAsync(support.Email, support.Password)).Cookie };

    private Task<IScenarioResult> Get(ISignedIn actor, string url, int status, bool html = false) => Host.Scenario(s =>
    {
        s.As(actor);
        s.WithRequestHeader("Accept", html ? "text/html" : "application/json");
        s.Get.Url(url);
        s.StatusCodeShouldBe(status);
    });

    private async Task<JsonElement> Json(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await Host.TrackedScenarioAsync(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Put) s.Put.Json(body!).ToUrl(url);
            else s.Post.Json(body!).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.Clone();
    }
}
