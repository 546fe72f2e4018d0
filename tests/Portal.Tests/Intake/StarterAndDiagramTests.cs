using System.Text.Json;
using System.Xml.Linq;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Triggers;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// See before you assign (#30 item 6): three starter workflows to copy, and a version drawn as an accessible SVG.
/// </summary>
public sealed class StarterAndDiagramTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public async Task Three_starters_are_listed_and_a_copy_takes_the_practices_documents_and_forms_and_publishes()
    {
        var provider = await Kit.NewProviderAsync();
        var consent = await Kit.PublishedDocumentAsync(provider, "Consent for treatment");
        var policies = await Kit.PublishedDocumentAsync(provider, "Practice policies");
        var form = await Kit.PublishedFormAsync(provider, "Intake questionnaire", "reason");

        var starters = await SendAsync(provider, HttpMethod.Get, "/api/workflows/starters", 200);
        starters.EnumerateArray().Select(s => s.GetProperty("key").GetString())
            .ShouldBe(["adult-individual", "minor-with-guardian", "couples"]);
        starters.EnumerateArray().Select(s => s.GetProperty("name").GetString())
            .ShouldBe(["Adult individual intake", "Minor with guardian intake", "Couples intake"]);

        var copy = await SendAsync(provider, HttpMethod.Post, "/api/workflows/starters/adult-individual/copy", 201);
        var id = copy.GetProperty("id").GetGuid();
        copy.GetProperty("latestStatus").GetString().ShouldBe("Draft");
        var tasks = JsonSerializer.Deserialize<WorkflowContent>(copy.GetProperty("latest").GetRawText(), IntakeTestKit.Json)!
            .Stages.SelectMany(s => s.Tasks).ToDictionary(t => t.Key);
        tasks["consent"].SubjectId.ShouldBe(consent.ToString());
        tasks["policies"].SubjectId.ShouldBe(policies.ToString());
        tasks["intake-form"].SubjectId.ShouldBe(form.ToString());
        tasks["gad7"].Condition.ShouldNotBeNull().TaskKey.ShouldBe("phq9");

        await PublishAsync(provider, id);
        var client = await Kit.NewClientAsync(provider);
        var (tracked, _) = await AssignAsync(provider, id, client);
        tracked.Published<TaskRequested>().Select(t => t.Title).ShouldBe(
            ["Sign the consent for treatment", "Read and sign the practice policies", "Complete the intake questionnaire"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_starter_copied_where_no_document_matches_leaves_it_to_choose_and_publishing_names_the_task()
    {
        var provider = await Kit.NewProviderAsync();
        var copy = await SendAsync(provider, HttpMethod.Post, "/api/workflows/starters/couples/copy", 201);
        var id = copy.GetProperty("id").GetGuid();
        copy.GetProperty("latest").GetProperty("stages")[0].GetProperty("tasks")[0].GetProperty("subjectId").ValueKind
            .ShouldBe(JsonValueKind.Null);

        var refused = await SendAsync(provider, HttpMethod.Post, $"/api/workflows/{id}/publish?expectedRevision={await RevisionAsync(provider, id)}", 400);
        var errors = refused.GetProperty("errors");
        errors.TryGetProperty("stages[0].tasks[0].subjectId", out _).ShouldBeTrue(errors.GetRawText());
        (await SendAsync(provider, HttpMethod.Get, $"/api/workflows/{id}", 200)).GetProperty("latestStatus").GetString().ShouldBe("Draft");

        await SendAsync(provider, HttpMethod.Post, "/api/workflows/starters/no-such-starter/copy", 404);
    }

    [Fact]
    public async Task The_diagram_is_an_accessible_svg_that_names_every_task_with_its_condition_timers_and_triggers()
    {
        var provider = await Kit.NewProviderAsync();
        var policy = await Kit.PublishedDocumentAsync(provider, "Practice <policies> & fees");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Adult intake",
        [
            new StageSpec("Paperwork", [
                Task("policy", TaskKind.SignDocument, policy.ToString(), dueInDays: 3, remindEveryDays: 1, maxReminders: 2),
                Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Screening", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Follow-up", [
                Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10"))]),
        ]) { Triggers = [WorkflowTrigger.ClientAdded] });

        var result = await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Get.Url($"/api/workflows/{workflowId}/versions/1/diagram.svg");
            s.StatusCodeShouldBeOk();
            s.ContentTypeShouldBe("image/svg+xml; charset=utf-8");
        });
        var svg = XDocument.Parse(await result.ReadAsTextAsync()).Root!;

        svg.Name.ShouldBe(Svg + "svg");
        svg.Attribute("role")!.Value.ShouldBe("img");
        var labelledBy = svg.Attribute("aria-labelledby")!.Value.Split(' ');
        var title = svg.Element(Svg + "title")!;
        labelledBy.ShouldContain(title.Attribute("id")!.Value);
        title.Value.ShouldContain("Adult intake");
        title.Value.ShouldContain("3 stages");
        var description = svg.Element(Svg + "desc")!;
        labelledBy.ShouldContain(description.Attribute("id")!.Value);

        var drawn = string.Join(" ", svg.Descendants(Svg + "text").Select(t => t.Value));
        foreach (var name in new[] { "Sign: Practice <policies> & fees", "Add your insurance", "Complete the PHQ-9", "Complete the GAD-7" })
        {
            Words(drawn).Contains(Words(name), StringComparison.Ordinal).ShouldBeTrue($"the drawing names \u201c{name}\u201d");
            Words(description.Value).ShouldContain(Words(name));
        }
        foreach (var stage in new[] { "Stage 1: Paperwork", "Stage 2: Screening", "Stage 3: Follow-up" }) drawn.ShouldContain(stage);
        Words(drawn).ShouldContain("Only when the PHQ-9 score is at least 10");
        Words(drawn).ShouldContain("Due in 3 days; a reminder every day, at most 2");
        drawn.ShouldContain("Starts by itself when a client is added.");
        svg.Descendants().ShouldNotContain(e => e.Name.LocalName == "script" || e.Name.LocalName == "foreignObject");
    }

    [Fact]
    public async Task The_diagram_answers_404_for_a_missing_version_and_only_to_clinical_members()
    {
        var provider = await Kit.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(provider, StaffRole.FrontDesk);
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));
        await SendAsync(provider, HttpMethod.Get, $"/api/workflows/{workflowId}/versions/2/diagram.svg", 404);
        await SendAsync(frontDesk, HttpMethod.Get, $"/api/workflows/{workflowId}/versions/1/diagram.svg", 403);

        // Every starter draws too, once copied.
        foreach (var key in new[] { "adult-individual", "minor-with-guardian", "couples" })
        {
            var copy = await SendAsync(provider, HttpMethod.Post, $"/api/workflows/starters/{key}/copy", 201);
            var text = await (await Host.Scenario(s =>
            {
                s.SignedIn(provider.Cookie);
                s.Get.Url($"/api/workflows/{copy.GetProperty("id").GetGuid()}/versions/1/diagram.svg");
                s.StatusCodeShouldBeOk();
            })).ReadAsTextAsync();
            var root = XDocument.Parse(text).Root!;
            root.Element(Svg + "title")!.Value.ShouldContain(copy.GetProperty("name").GetString()!);
            var drawn = string.Join(" ", root.Descendants(Svg + "text").Select(t => t.Value));
            // The couples starter's last stage runs two tracks side by side; the adult's insurance reads the client's billing.
            if (key == "couples") drawn.ShouldContain("Track: Screening");
            if (key == "adult-individual") Words(drawn).ShouldContain("Only when client bills insurance");
        }
    }

    [Fact]
    public async Task The_builder_page_shows_the_diagram_of_its_latest_version()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));
        var page = await Host.OpenPageAsync(provider, $"/console/workflows/{workflowId}");
        page.Html.ShouldContain($"src=\"/api/workflows/{workflowId}/versions/1/diagram.svg\"");
    }

    /// <summary>The words of a text, joined by single spaces: a task's title wraps over lines in the drawing.</summary>
    private static string Words(string text) => string.Join(" ", text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private async Task<JsonElement> SendAsync(ProviderActor actor, HttpMethod method, string url, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(actor.Cookie);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else s.Post.Url(url);
            s.StatusCodeShouldBe(status);
        });
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 || text.TrimStart().StartsWith('<') ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
