using System.Text.Json;
using Alba;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class DefinitionLifecycleTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task Editing_a_published_workflow_makes_a_new_draft_and_publishing_it_leaves_running_assignments_on_their_version()
    {
        var provider = await Kit.NewProviderAsync();
        var first = await Kit.NewClientAsync(provider);
        var second = await Kit.NewClientAsync(provider, "Ben");
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);
        var (_, onVersionOne) = await AssignAsync(provider, workflowId, first);

        var revision = await RevisionAsync(provider, workflowId);
        var edited = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(new WorkflowContent("Intake v2",
            [
                new StageSpec("Money", [Task("autopay", TaskKind.EnrollInAutopay)]),
                new StageSpec("Mood", [Task("gad7", TaskKind.CompleteAssessment, "gad7")]),
            ])).ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.StatusCodeShouldBeOk();
        });
        var draft = await IntakeTestKit.ReadJsonAsync(edited);
        draft.GetProperty("latestVersion").GetInt32().ShouldBe(2);
        draft.GetProperty("latestStatus").GetString().ShouldBe("Draft");
        draft.GetProperty("publishedVersion").GetInt32().ShouldBe(1);

        await PublishAsync(provider, workflowId);
        var (tracked, onVersionTwo) = await AssignAsync(provider, workflowId, second);
        tracked.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.EnrollInAutopay);

        var oldStart = (await Kit.EventsAsync(onVersionOne[0])).OfType<AssignmentStarted>().Single();
        oldStart.DefinitionVersion.ShouldBe(1);
        oldStart.Stages.ShouldHaveSingleItem().Tasks.ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.AddInsurance);
        (await Kit.EventsAsync(onVersionTwo[0])).OfType<AssignmentStarted>().Single().DefinitionVersion.ShouldBe(2);

        // The version-1 assignment still finishes by its own single task, whatever version 2 says.
        var done = await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), first, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            new Actor(ActorKind.Client, first, "Ana"), Clock.GetUtcNow()));
        done.Published<AssignmentCompleted>().ShouldHaveSingleItem().AssignmentId.ShouldBe(onVersionOne[0]);

        var versions = await IntakeTestKit.ReadJsonAsync(await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}");
        }));
        versions.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("status").GetString()).ShouldBe(["Superseded", "Published"]);
    }

    [Fact]
    public async Task A_draft_cannot_be_assigned_and_a_published_version_cannot_be_published_again()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = new[] { client } }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBe(409);
        });
        await PublishAsync(provider, workflowId);
        var published = await RevisionAsync(provider, workflowId);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Url($"/api/workflows/{workflowId}/publish?expectedRevision={published}");
            s.StatusCodeShouldBe(409);
        });
    }

    [Fact]
    public async Task An_exported_workflow_imports_as_a_new_draft_with_the_same_stages()
    {
        var provider = await Kit.NewProviderAsync();
        var policy = await Kit.PublishedDocumentAsync(provider);
        var content = new WorkflowContent("Couples intake",
        [
            new StageSpec("Sign", [Task("policy", TaskKind.SignDocument, policy.ToString(), dueInDays: 3, remindEveryDays: 1, maxReminders: 2)]),
            new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Follow up",
                [Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10"))]),
        ]);
        var workflowId = await CreateWorkflowAsync(provider, content);

        var exported = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}/export");
            s.StatusCodeShouldBeOk();
        });
        var json = await exported.ReadAsTextAsync();
        json.ShouldContain(WorkflowContent.ExportFormat);

        var imported = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Text(json).ContentType("application/json").ToUrl("/api/workflows/import");
            s.StatusCodeShouldBe(201);
        });
        var view = await IntakeTestKit.ReadJsonAsync(imported);
        view.GetProperty("id").GetGuid().ShouldNotBe(workflowId);
        view.GetProperty("latestStatus").GetString().ShouldBe("Draft");
        var latest = JsonSerializer.Deserialize<WorkflowContent>(view.GetProperty("latest").GetRawText(), IntakeTestKit.Json)!;
        latest.Name.ShouldBe(content.Name);
        latest.Stages.Select(s => s.Name).ShouldBe(["Sign", "Screen", "Follow up"]);
        latest.Stages[0].Tasks[0].ShouldBe(content.Stages[0].Tasks[0]);
        latest.Stages[2].Tasks[0].Condition.ShouldBe(content.Stages[2].Tasks[0].Condition);
    }

    [Theory]
    [InlineData("empty-stage", "stages[1].tasks", "empty")]
    [InlineData("later-condition", "stages[0].tasks[0].condition.taskKey", "earlier stage")]
    [InlineData("same-stage-condition", "stages[0].tasks[1].condition.taskKey", "earlier stage")]
    [InlineData("unknown-document", "stages[0].tasks[0].subjectId", "No published document")]
    [InlineData("unknown-instrument", "stages[0].tasks[0].subjectId", "Unknown assessment")]
    [InlineData("missing-subject", "stages[0].tasks[0].subjectId", "Choose the document")]
    [InlineData("duplicate-key", "stages[1].tasks[0].key", "unique")]
    [InlineData("no-stages", "stages", "at least one stage")]
    [InlineData("wrong-format", "format", "Not a workflow export")]
    public async Task An_invalid_workflow_is_refused_with_a_400_naming_the_field(string problem, string field, string message)
    {
        var provider = await Kit.NewProviderAsync();
        var ok = Task("insurance", TaskKind.AddInsurance);
        var content = problem switch
        {
            "empty-stage" => new WorkflowContent("W", [new StageSpec("One", [ok]), new StageSpec("Two", [])]),
            "later-condition" => new WorkflowContent("W",
            [
                new StageSpec("One",
                    [Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10"))]),
                new StageSpec("Two", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            ]),
            "same-stage-condition" => new WorkflowContent("W",
            [
                new StageSpec("One",
                [
                    Task("phq9", TaskKind.CompleteAssessment, "phq9"),
                    Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10"))
                ]),
            ]),
            "unknown-document" => new WorkflowContent("W", [new StageSpec("One", [Task("doc", TaskKind.SignDocument, Guid.NewGuid().ToString())])]),
            "unknown-instrument" => new WorkflowContent("W", [new StageSpec("One", [Task("x", TaskKind.CompleteAssessment, "pcl99")])]),
            "missing-subject" => new WorkflowContent("W", [new StageSpec("One", [Task("doc", TaskKind.SignDocument)])]),
            "duplicate-key" => new WorkflowContent("W",
                [new StageSpec("One", [ok]), new StageSpec("Two", [Task("insurance", TaskKind.EnrollInAutopay)])]),
            "no-stages" => new WorkflowContent("W", []),
            _ => new WorkflowContent("W", [new StageSpec("One", [ok])], "something-else/9"),
        };

        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(content, "/api/workflows");
            s.StatusCodeShouldBe(400);
        });
        result.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
        var errors = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("errors");
        errors.TryGetProperty(field, out var messages).ShouldBeTrue($"no error for {field} in {errors}");
        messages.EnumerateArray().Select(m => m.GetString()).ShouldContain(m => m!.Contains(message));

        await using var session = OpenSession();
        (await Marten.QueryableExtensions.CountAsync(session.Query<WorkflowDefinition>())).ShouldBe(0);
    }

    [Fact]
    public async Task A_document_of_another_practice_is_unknown_to_the_provider()
    {
        var provider = await Kit.NewProviderAsync();
        var elsewhere = await Kit.PublishedDocumentAsync(await Kit.NewProviderAsync());
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new WorkflowContent("W", [new StageSpec("One", [Task("doc", TaskKind.SignDocument, elsewhere.ToString())])]),
                "/api/workflows");
            s.StatusCodeShouldBe(400);
        });
    }
}
