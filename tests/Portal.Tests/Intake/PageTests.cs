using System.Text.RegularExpressions;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed partial class PageTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    [Fact]
    public async Task A_provider_builds_reorders_publishes_and_assigns_a_workflow_in_the_console_and_the_client_sees_it_in_My_tasks()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Dana");

        var created = await PostFormAsync(provider, "/console/workflows", "Create", new()
        {
            ["name"] = "Welcome packet", ["stageName"] = "Paperwork", ["kind"] = "AddInsurance", ["subjectId"] = "",
        });
        created.Context.Response.StatusCode.ShouldBe(302);
        var builder = created.Context.Response.Headers.Location.ToString();
        var workflowId = Guid.Parse(builder.Split('/').Last());

        await PostFormAsync(provider, builder, "AddStage",
            new() { ["stageName"] = "Screening", ["kind"] = "CompleteAssessment", ["subjectId"] = "phq9" });
        await PostFormAsync(provider, builder, "AddTask",
            new()
            {
                ["kind"] = "EnrollInAutopay", ["subjectId"] = "", ["dueInDays"] = "5", ["remindEveryDays"] = "2",
                ["maxReminders"] = "2"
            },
            "stage=1");
        await PostFormAsync(provider, builder, "MoveStage", [], "stage=1&delta=-1");
        var publish = await PostFormAsync(provider, builder, "Publish", []);
        publish.Context.Response.StatusCode.ShouldBe(302);

        await using (var session = OpenSession())
        {
            var definition = (await session.LoadAsync<WorkflowDefinition>(workflowId))!;
            definition.Published!.Version.ShouldBe(1);
            definition.Published.Content.Stages.Select(s => s.Name).ShouldBe(["Screening", "Paperwork"]);
            definition.Published.Content.Stages[0].Tasks.Select(t => t.Kind).ShouldBe([TaskKind.CompleteAssessment, TaskKind.EnrollInAutopay]);
            definition.Published.Content.Stages[0].Tasks[1].RemindEveryDays.ShouldBe(2);
        }

        var assign = await PostFormAsync(provider, builder, null, new() { ["clientIds"] = client.ClientId.ToString() }, postTo: $"{builder}/assign");
        assign.Context.Response.StatusCode.ShouldBe(302);

        var myTasks = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/portal/tasks");
            s.StatusCodeShouldBeOk();
        });
        var html = await myTasks.ReadAsTextAsync();
        html.ShouldContain("Welcome packet");
        html.ShouldContain("href=\"/portal/assessments/phq9\"");
        html.ShouldContain("href=\"/portal/autopay\"");
        // The navigation links every client page to /portal/insurance; the task list itself must not.
        html[html.IndexOf("<main", StringComparison.Ordinal)..].ShouldNotContain("href=\"/portal/insurance\"",
            customMessage: "insurance is in the second stage, not open yet");
        html.ShouldContain("0 of 3 done");

        var profile = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/console/clients/{client.ClientId}");
            s.StatusCodeShouldBeOk();
        });
        var profileHtml = await profile.ReadAsTextAsync();
        profileHtml.ShouldContain("Intake tasks");
        profileHtml.ShouldContain("Stage 1 started: Screening");
    }

    [Fact]
    public async Task A_builder_button_pressed_on_an_older_revision_of_the_page_changes_nothing_and_says_why()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Mood", [Task("gad7", TaskKind.CompleteAssessment, "gad7")])
        ]));
        var builder = $"/console/workflows/{workflowId}";

        // Someone else renamed it meanwhile (revision 2); this page still shows revision 1.
        (await PostFormAsync(provider, builder, "Rename", new() { ["name"] = "Intake, renamed" })).Context.Response.StatusCode.ShouldBe(302);
        var stale = await PostFormAsync(provider, builder, "MoveStage", new() { ["Revision"] = "1" }, "stage=1&delta=-1");

        stale.Context.Response.StatusCode.ShouldBe(409);
        (await stale.ReadAsTextAsync()).ShouldContain("changed elsewhere since you loaded it");
        await using var session = OpenSession();
        var definition = (await session.LoadAsync<WorkflowDefinition>(workflowId))!;
        definition.Revision.ShouldBe(2);
        definition.Latest.Content.Name.ShouldBe("Intake, renamed");
        definition.Latest.Content.Stages.Select(s => s.Name).ShouldBe(["Money", "Mood"]);
    }

    [Fact]
    public async Task Assigning_a_workflow_to_another_provider_s_client_assigns_nobody_and_the_builder_says_why()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider,
            new WorkflowContent("Intake", [new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)])]));
        await PublishAsync(provider, workflowId);
        var builder = $"/console/workflows/{workflowId}";
        var strangersClient = await Kit.NewClientAsync(await Kit.NewProviderAsync());

        var refused = await PostFormAsync(provider, builder, null, new() { ["clientIds"] = strangersClient.ToString() }, postTo: $"{builder}/assign");
        refused.Context.Response.StatusCode.ShouldBe(302);
        var cookies = string.Join("; ", refused.Context.Response.Headers.SetCookie.Select(c => c!.Split(';')[0]));
        var shown = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Cookie", $"{provider.Cookie}; {cookies}");
            s.Get.Url(builder);
            s.StatusCodeShouldBeOk();
        });
        (await shown.ReadAsTextAsync()).ShouldContain($"Not your client: {strangersClient}. Nobody was assigned.");
        await using var session = OpenSession();
        (await session.Query<IntakeAssignment>().Where(a => a.ClientId == strangersClient).CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_provider_skips_a_task_with_a_reason_on_the_assignment_page()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("Money", [Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Billing", [Task("autopay", TaskKind.EnrollInAutopay)])
        ]));
        await PublishAsync(provider, workflowId);
        var (tracked, ids) = await AssignAsync(provider, workflowId, client);
        var taskId = tracked.Published<TaskRequested>().Single().TaskId;
        var page = $"/console/assignments/{ids[0]}";

        var refused = await PostFormAsync(provider, page, "Skip", new() { ["reason"] = "" }, $"taskId={taskId}");
        refused.Context.Response.StatusCode.ShouldBe(200);
        (await refused.ReadAsTextAsync()).ShouldContain("Give a reason.");

        var skipped = await PostFormAsync(provider, page, "Skip", new() { ["reason"] = "Self-pay client" }, $"taskId={taskId}");
        skipped.Context.Response.StatusCode.ShouldBe(302);

        var events = await Kit.EventsAsync(ids[0]);
        events.OfType<AssignmentTaskSkipped>().Single().Reason.ShouldBe("Self-pay client");
        events.OfType<AssignmentStageStarted>().Count().ShouldBe(2);
        (await (await Host.Scenario(s => { s.As(provider); s.Get.Url(page); })).ReadAsTextAsync()).ShouldContain("Reason: Self-pay client");

        var stranger = await Kit.NewProviderAsync();
        await Host.Scenario(s =>
        {
            s.As(stranger);
            s.Get.Url(page);
            s.StatusCodeShouldBe(404);
        });
    }

    /// <summary>
    /// Posts a form of <paramref name="page"/> to its <paramref name="handler"/>, or (no handler) to the page
    /// <paramref name="postTo"/>.
    /// </summary>
    private async Task<IScenarioResult> PostFormAsync(ProviderActor provider, string page, string? handler,
        Dictionary<string, string> fields, string? query = null,
        string? postTo = null)
    {
        var opened = await Host.OpenPageAsync(provider, page);
        // The builder's buttons carry the revision the page shows; a test that sends its own keeps it.
        if (RevisionPattern().Match(opened.Html) is { Success: true } revision) fields.TryAdd("Revision", revision.Groups[1].Value);
        return await Host.Scenario(s => s.PostForm(provider, opened, postTo ?? page, handler ?? "", fields, query));
    }

    [GeneratedRegex("name=\"Revision\" value=\"([0-9]+)\"")]
    private static partial Regex RevisionPattern();
}
