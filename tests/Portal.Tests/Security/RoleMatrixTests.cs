using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Security;

/// <summary>
/// The role matrix over every API endpoint and page the host serves (discovered, not listed): in one practice an
/// owner, the client's primary clinician, a clinician not on the client's care team, a front desk and a biller, plus
/// support and the client. Each gets what the route's policy gives their role (<see cref="PortalPolicies.RolesOf"/>),
/// a clinician not on the team gets 404 for the client's records, and the data of each answer follows the role: the
/// front desk and the biller never see clinical content, the front desk never sees insurance, the biller does.
/// </summary>
public sealed class RoleMatrixTests(PortalFixture fixture) : PortalTest(fixture)
{
    private const string FirstName = "Zephyrine";
    private const string LastName = "Quillfeather";
    private const string MemberId = "ZQMEMBER77031";
    private const string IntakeAnswer = "Glimmerfen nights without sleep";
    private const string DocumentClause = "Vorpalquine privacy clause";

    /// <summary>
    /// Clinical content as the read paths render it: an intake answer, signed contents, a safety flag (in JSON, in the
    /// results table, as the profile's follow-up), the scores' trend chart.
    /// </summary>
    private static readonly string[] Clinical =
        [IntakeAnswer, DocumentClause, "\"safetyFlag\"", "Item 9 above 0", "Safety follow-up", "PHQ-9 scores over time"];

    private sealed record Practice(
        ProviderActor Owner, ProviderActor Clinician, ProviderActor OtherClinician, ProviderActor FrontDesk, ProviderActor Biller,
        SupportActor Support, ClientActor Client, Guid ResponseId, Guid SignatureId, Guid PhotoId, Guid DocumentId, Guid FormId,
        Guid WorkflowId, Guid AssignmentId, Guid FlagId, ProviderActor SpareMember, ClientActor SpareClient)
    {
        /// <summary>
        /// Routes that end something for good (a member deactivated or demoted, a client discharged, their team or
        /// contacts or login email changed) act on spare records, so the people and the client the rest of the matrix
        /// reads stay as they were.
        /// </summary>
        private static readonly string[] Lasting = ["/discharge", "/reopen", "/care-team", "/contacts", "/email-correction"];

        public IReadOnlyList<(string Who, ISignedIn Actor)> Everyone =>
        [
            ("owner", Owner), ("clinician", Clinician), ("other clinician", OtherClinician), ("front desk", FrontDesk),
            ("biller", Biller), ("support", Support), ("client", Client),
        ];

        /// <summary>The ids of this practice's records, by route parameter (and, for "id", by the route's resource).</summary>
        public string IdOf(Route route, string parameter) => parameter switch
        {
            "clientId" when Lasting.Any(route.Pattern.Contains) => SpareClient.ClientId.ToString(),
            "clientId" => Client.ClientId.ToString(),
            "providerId" when route.Pattern.Contains("/members/") => SpareMember.ProviderId.ToString(),
            "providerId" => Clinician.ProviderId.ToString(),
            "practiceId" => Owner.PracticeId.ToString(),
            "responseId" => ResponseId.ToString(),
            "signatureId" => SignatureId.ToString(),
            "photoId" => PhotoId.ToString(),
            "documentId" => DocumentId.ToString(),
            "formId" => FormId.ToString(),
            "flagId" => FlagId.ToString(),
            // Sharing the clinician's workflow would let the other clinician see it for the rest of the matrix.
            "id" when route.Pattern.EndsWith("/library", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
            "id" when route.Pattern.Contains("/workflows/") => WorkflowId.ToString(),
            "id" when route.Pattern.Contains("/assignments/") => AssignmentId.ToString(),
            _ => Guid.NewGuid().ToString(),
        };
    }

    [Fact]
    public async Task Every_role_gets_what_its_row_of_the_matrix_says_on_every_endpoint_and_page()
    {
        var p = await PracticeAsync();
        var routes = (await ApiSurface.DiscoverAsync(Host)).Where(r => !r.AllowsAnonymous).ToList();
        routes.ShouldContain(r => r.Pattern == "/console/clients/{clientId:guid}");

        var failures = new List<string>();
        var seen = p.Everyone.ToDictionary(e => e.Who, _ => new Dictionary<string, string>());
        var people = p.Everyone.ToList();
        int calls = 0, admitted = 0, refused = 0;
        // Reads first, so a write (a cancel, a removal) cannot take away what a later read is checked against.
        foreach (var route in routes.OrderBy(r => r.Method == "GET" ? 0 : 1))
        {
            var url = route.Fill(parameter => ApiSurface.ValueFor(parameter, id => p.IdOf(route, id)));
            for (var i = 0; i < people.Count; i++)
            {
                var (who, actor) = people[i];
                var (status, body, signedOut) = await SendAsync(route, url, actor);
                // A sign-out ends this session; the person signs in again for the routes after it.
                if (signedOut) people[i] = (who, await SignInAgainAsync(actor));
                calls++;
                if (route.Method == "GET") seen[who][route.ToString()] = body;
                if (status >= 500) failures.Add($"{route} as {who} -> {status}");

                var expected = Expect(route, actor);
                if (expected == Expected.Refused)
                {
                    refused++;
                    // A page's form post without its antiforgery token is refused before authorization.
                    var ok = status is 401 or 403 or 404 || (route.IsPage && route.Method != "GET" && status == 400);
                    if (!ok) failures.Add($"{route} as {who} -> {status}, expected a refusal");
                }
                else if (expected == Expected.NotFound)
                {
                    refused++;
                    // A write may fail validation before the record is looked up; that tells nothing either.
                    var ok = status == 404 || (route.Method != "GET" && status is 400 or 405 or 415);
                    if (!ok) failures.Add($"{route} as {who} -> {status}, expected 404 (not on the care team)");
                }
                else if (expected == Expected.Admitted)
                {
                    admitted++;
                    var hiddenFromSupport = actor is SupportActor && status == 403
                                            && body.Contains("Health information is hidden from support");
                    if (status is 401 or 403 && !hiddenFromSupport) failures.Add($"{route} as {who} -> {status}, expected admission");
                }

                foreach (var marker in MarkersNeverShownTo(who).Where(m => body.Contains(m, StringComparison.Ordinal)))
                    failures.Add($"{route} as {who}: the answer holds \"{marker}\"");
            }
        }

        // Non-vacuity: the markers are where the matrix looks, for the roles that may see them.
        void MustSee(string who, string text, string marker, string where)
        {
            if (!text.Contains(marker, StringComparison.Ordinal)) failures.Add($"{who} never saw \"{marker}\" {where}");
        }
        foreach (var who in new[] { "owner", "clinician" })
            foreach (var marker in Clinical.Append(MemberId))
                MustSee(who, string.Join("\n", seen[who].Values), marker, "on any route");
        MustSee("biller", string.Join("\n", seen["biller"].Values), MemberId, "on any route");
        const string profile = "GET /console/clients/{clientId:guid}";
        foreach (var who in new[] { "owner", "clinician", "front desk", "biller", "support" })
            MustSee(who, seen[who][profile], LastName, "on the profile page");
        MustSee("biller", seen["biller"][profile], MemberId, "on the profile page");
        MustSee("owner", seen["owner"][profile], "Item 9 above 0", "on the profile page");
        MustSee("clinician", seen["clinician"][profile], "Item 9 above 0", "on the profile page");

        Console.WriteLine($"role matrix: {routes.Count} non-public routes ({routes.Count(r => r.IsPage)} pages, " +
                          $"{routes.Count(r => !r.IsPage)} API) x {p.Everyone.Count} people = {calls} calls: " +
                          $"{admitted} admitted by role, {refused} refused (policy or care team), " +
                          $"{calls - admitted - refused} left to the route's own record rule");
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_client_profile_shows_each_role_only_the_sections_its_row_allows()
    {
        var p = await PracticeAsync();
        var url = $"/console/clients/{p.Client.ClientId}";

        var owner = (await Host.OpenPageAsync(p.Owner, url)).Html;
        var frontDesk = (await Host.OpenPageAsync(p.FrontDesk, url)).Html;
        var biller = (await Host.OpenPageAsync(p.Biller, url)).Html;

        // The profile's clinical sections: safety follow-up, signed documents, intake answers, scores and their trend.
        string[] clinical = ["Safety follow-up", "Signed documents", "Intake form answers", "Item 9 above 0", "PHQ-9 scores over time"];
        // The owner sees everything: clinical, insurance, tasks and access.
        foreach (var marker in clinical.Append(MemberId).Append("portal access").Append("Add your insurance").Append("Autopay"))
            owner.ShouldContain(marker, customMessage: $"owner's profile lacks \"{marker}\"");
        // Front desk: identity, access and tasks; nothing clinical, no insurance, no autopay.
        frontDesk.ShouldContain(LastName);
        frontDesk.ShouldContain("portal access");
        frontDesk.ShouldContain("Add your insurance");
        foreach (var marker in clinical.Append(MemberId).Append("Autopay"))
            frontDesk.ShouldNotContain(marker, customMessage: $"front desk's profile shows \"{marker}\"");
        // Biller: identity, insurance and autopay; nothing clinical, no tasks, no access management.
        biller.ShouldContain(LastName);
        biller.ShouldContain(MemberId);
        biller.ShouldContain("Autopay");
        foreach (var marker in clinical.Append("Add your insurance").Append("portal access"))
            biller.ShouldNotContain(marker, customMessage: $"biller's profile shows \"{marker}\"");
    }

    [Fact]
    public async Task Practice_wide_lists_follow_the_card_rule_not_who_added_the_client()
    {
        var p = await PracticeAsync();

        // Needs attention: the owner sees the clinician's client's flag; a clinician off the team does not.
        (await Json(p.Owner, HttpMethod.Get, "/api/console/safety-flags", null, 200)).EnumerateArray()
            .Select(f => f.GetProperty("flagId").GetGuid()).ShouldContain(p.FlagId);
        (await Json(p.OtherClinician, HttpMethod.Get, "/api/console/safety-flags", null, 200)).GetArrayLength().ShouldBe(0);
        await Json(p.FrontDesk, HttpMethod.Get, "/api/console/safety-flags", null, 403);
        (await Host.OpenPageAsync(p.Owner, "/console")).Html.ShouldContain(LastName);
        (await Host.OpenPageAsync(p.FrontDesk, "/console")).Html.ShouldNotContain(LastName);

        // Workflows are the practice's: the front desk lists the clinician's and follows its progress.
        (await Json(p.FrontDesk, HttpMethod.Get, "/api/workflows", null, 200)).EnumerateArray()
            .Select(w => w.GetProperty("id").GetGuid()).ShouldContain(p.WorkflowId);
        (await Json(p.FrontDesk, HttpMethod.Get, $"/api/workflows/{p.WorkflowId}/overview", null, 200))
            .GetProperty("completed").GetInt32().ShouldBe(1);
        await Json(p.Biller, HttpMethod.Get, "/api/workflows", null, 403);

        // An email change: the front desk sees and decides it; the clinician off the team is told it does not exist.
        var asked = await Json(p.Client, HttpMethod.Post, "/api/portal/email-change",
            new { newEmail = $"new-{Guid.NewGuid():N}@portal.test" }, 202);
        var requestId = asked.GetProperty("requestId").GetGuid();
        (await Json(p.FrontDesk, HttpMethod.Get, "/api/email-changes", null, 200)).EnumerateArray()
            .Select(c => c.GetProperty("requestId").GetGuid()).ShouldContain(requestId);
        (await Json(p.OtherClinician, HttpMethod.Get, "/api/email-changes", null, 200)).GetArrayLength().ShouldBe(0);
        (await Json(p.Biller, HttpMethod.Get, "/api/email-changes", null, 200)).GetArrayLength().ShouldBe(0);
        await Json(p.OtherClinician, HttpMethod.Post, $"/api/console/email-changes/{requestId}/approve", null, 404);
        await Json(p.Biller, HttpMethod.Post, $"/api/console/email-changes/{requestId}/approve", null, 403);
        await Json(p.FrontDesk, HttpMethod.Post, $"/api/console/email-changes/{requestId}/approve", null, 204);
    }

    private enum Expected { Admitted, Refused, NotFound, RouteDecides }

    /// <summary>What the matrix says for this person on this route: by the route's policy, then by the care team.</summary>
    private static Expected Expect(Route route, ISignedIn actor)
    {
        if (route.Policy is not { } policy) return Expected.RouteDecides;
        var passes = actor switch
        {
            ClientActor => policy == PortalPolicies.Client,
            SupportActor => policy == PortalPolicies.Support || PortalPolicies.AdmitsSupport(policy),
            ProviderActor member => PortalPolicies.RolesOf(policy).Contains(member.Role),
            _ => false,
        };
        if (!passes) return Expected.Refused;
        if (actor is ProviderActor { Role: StaffRole.Clinician, Name: OtherClinicianName } && NamesTheClientsRecord(route))
            return Expected.NotFound;
        return Expected.Admitted;
    }

    private static bool NamesTheClientsRecord(Route route) =>
        route.Parameters.Any(p => p is "clientId" or "responseId" or "signatureId" or "photoId" or "flagId")
        || (route.Parameters.Contains("id") && route.Pattern.Contains("/assignments/"));

    private static IEnumerable<string> MarkersNeverShownTo(string who) => who switch
    {
        "front desk" => Clinical.Append(MemberId),
        "biller" => Clinical,
        "support" => Clinical.Append(MemberId),
        // Documents are the practice's: another clinician manages them, so the clause itself is theirs to read.
        "other clinician" => [IntakeAnswer, "\"safetyFlag\"", "Item 9 above 0", MemberId, LastName],
        _ => [],
    };

    private const string OtherClinicianName = "Otto Otherclinician";

    /// <summary>
    /// One practice with every role and a client of the clinician with every kind of record: a PHQ-9 with item 9 above
    /// 0 (a safety flag), an intake form's answers, a signed document, insurance with a card photo, an assignment.
    /// </summary>
    private async Task<Practice> PracticeAsync()
    {
        var owner = await Host.NewProviderAsync();
        var clinician = await Host.NewMemberAsync(owner, StaffRole.Clinician);
        var other = await Host.NewMemberAsync(owner, StaffRole.Clinician, name: OtherClinicianName);
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var biller = await Host.NewMemberAsync(owner, StaffRole.Biller);
        var client = await Host.NewClientWithAccountAsync(clinician, FirstName, LastName);

        var planted = await HealthRecordMarkers.PlantAsync(Host, clinician, client, IntakeAnswer, DocumentClause, MemberId);
        var (formId, documentId, photoId) = (planted.FormId, planted.DocumentId, planted.PhotoId);

        var workflow = await Json(clinician, HttpMethod.Post, "/api/workflows", new
        {
            name = "New client intake",
            stages = new object[]
            {
                new { name = "Before the first session", tasks = new object[]
                {
                    new { key = "insurance", kind = "AddInsurance", title = "Add your insurance", dueInDays = 5 },
                } },
            },
        }, 201);
        var workflowId = workflow.GetProperty("id").GetGuid();
        var revision = (await Json(clinician, HttpMethod.Get, $"/api/workflows/{workflowId}", null, 200)).GetProperty("revision").GetInt32();
        await Json(clinician, HttpMethod.Post, $"/api/workflows/{workflowId}/publish?expectedRevision={revision}", null, 200);
        var assigned = await Json(clinician, HttpMethod.Post, $"/api/workflows/{workflowId}/assignments",
            new { clientIds = new[] { client.ClientId } }, 200);
        var assignmentId = assigned.GetProperty("assignments")[0].GetProperty("assignmentId").GetGuid();

        var flags = await Json(clinician, HttpMethod.Get, $"/api/clients/{client.ClientId}/safety-flags", null, 200);
        var flagId = flags.EnumerateArray().First().GetProperty("flagId").GetGuid();

        return new Practice(owner, clinician, other, frontDesk, biller, owner.Support, client,
            planted.ResponseId, planted.SignatureId, photoId, documentId, formId,
            workflowId, assignmentId, flagId,
            await Host.NewMemberAsync(owner, StaffRole.Biller, name: "Sid Spare"), await Host.NewClientWithAccountAsync(clinician, "Sam", "Spare"));
    }

    private Task<JsonElement> Json(ISignedIn actor, HttpMethod method, string url, object? body, int status) =>
        HealthRecordMarkers.Json(Host, actor, method, url, body, status);

    /// <summary>
    /// The route called as this person: a page as a browser asks for it (one redirect inside the site followed), an API
    /// with JSON; a write with an empty body (or a real PNG for an upload), so the answer is about who asks.
    /// </summary>
    private async Task<(int Status, string Body, bool SignedOut)> SendAsync(Route route, string url, ISignedIn actor)
    {
        for (var hop = 0; ; hop++)
        {
            var result = await Host.Scenario(s =>
            {
                s.As(actor);
                s.WithRequestHeader("Accept", route.IsPage ? "text/html" : "application/json");
                if (route.IsUpload)
                {
                    s.Post.MultipartFormData(Insurance.InsuranceApi.Photo(Insurance.CardPictures.Png, "card.png", 1)).ToUrl(url);
                }
                else if (hop > 0 || route.Method == "GET") s.Get.Url(url);
                else if (route.Method == "DELETE") s.Delete.Url(url);
                else if (route.Method == "PUT") s.Put.Json(new { }).ToUrl(url);
                else if (route.Method == "PATCH") s.Patch.Json(new { }).ToUrl(url);
                else s.Post.Json(new { }).ToUrl(url);
                s.IgnoreStatusCode();
            });
            var response = result.Context.Response;
            var location = Uri.TryCreate(response.Headers.Location.ToString(), UriKind.Absolute, out var absolute)
                ? absolute.PathAndQuery : response.Headers.Location.ToString();
            if (route.IsPage && route.Method == "GET" && response.StatusCode == 302 && hop == 0
                && location.StartsWith('/') && !location.StartsWith("/signin"))
            {
                url = location;
                continue;
            }
            var signedOut = response.Headers.SetCookie.Any(c => c!.StartsWith("portal.session=;", StringComparison.Ordinal));
            return (response.StatusCode, await result.ReadAsTextAsync(), signedOut);
        }
    }

    private async Task<ISignedIn> SignInAgainAsync(ISignedIn actor) => actor switch
    {
        ProviderActor member => await Host.SignInAgainAsync(member),
        ClientActor client => await Host.SignInAgainAsync(client),
        SupportActor support => support with { Cookie = (await Host.SignInAsync(support.Email, support.Password)).Cookie },
        _ => actor,
    };
}
