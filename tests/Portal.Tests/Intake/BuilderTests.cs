using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// The builder's API: a draft's task changed in place (a published version never), the preview of what a client sees
/// with chosen answers, and a workflow a client has running not assigned to them twice unless asked to.
/// </summary>
public sealed class BuilderTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static WorkflowContent Screening() => new("Screening",
    [
        new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
        new StageSpec("Follow up",
        [
            Task("insurance", TaskKind.AddInsurance),
            Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10")),
        ]),
    ]);

    private async Task<IScenarioResult> EditTaskAsync(ProviderActor provider, Guid workflowId, int version, string key, object body,
        int status, int? revision = null)
    {
        revision ??= await RevisionAsync(provider, workflowId);
        return await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(body).ToUrl($"/api/workflows/{workflowId}/versions/{version}/tasks/{key}")
                .QueryString("expectedRevision", revision.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.StatusCodeShouldBe(status);
        });
    }

    private async Task<WorkflowDefinition> DefinitionAsync(Guid workflowId)
    {
        await using var session = OpenSession();
        return (await session.LoadAsync<WorkflowDefinition>(workflowId))!;
    }

    [Fact]
    public async Task A_draft_task_is_edited_in_place_keeping_its_key_kind_and_place()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, Screening());
        var before = await RevisionAsync(provider, workflowId);

        var result = await EditTaskAsync(provider, workflowId, 1, "insurance", new
        {
            title = "Add your insurance card", dueInDays = 7, remindEveryDays = 2, maxReminders = 3,
            condition = new { taskKey = "phq9", field = "severity", @operator = "Equals", value = "moderate" },
        }, 200);

        (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("revision").GetInt32().ShouldBe(before + 1);
        var definition = await DefinitionAsync(workflowId);
        definition.Versions.Count.ShouldBe(1);
        var stage = definition.Latest.Content.Stages[1];
        stage.Tasks.Select(t => t.Key).ShouldBe(["insurance", "gad7"]);
        stage.Tasks[0].ShouldBe(new TaskSpec("insurance", TaskKind.AddInsurance, null, "Add your insurance card", 7, 2, 3,
            new TaskCondition("phq9", "severity", ConditionOperator.Equals, "moderate")));

        // Clearing fields clears them: no title, no due date, no reminders, no condition.
        await EditTaskAsync(provider, workflowId, 1, "gad7", new { maxReminders = 0 }, 200);
        (await DefinitionAsync(workflowId)).Latest.Content.Stages[1].Tasks[1]
            .ShouldBe(new TaskSpec("gad7", TaskKind.CompleteAssessment, "gad7"));
    }

    [Fact]
    public async Task A_published_version_does_not_change_and_an_unknown_task_or_version_is_not_found()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, Screening());
        await PublishAsync(provider, workflowId);
        var published = (await DefinitionAsync(workflowId)).Latest.Content;

        var refused = await EditTaskAsync(provider, workflowId, 1, "insurance", new { title = "Changed", maxReminders = 0 }, 409);
        var problem = await IntakeTestKit.ReadJsonAsync(refused);
        problem.GetProperty("title").GetString().ShouldBe("Version 1 is published and does not change.");
        (await DefinitionAsync(workflowId)).Latest.Content.ShouldBeEquivalentTo(published);

        await EditTaskAsync(provider, workflowId, 9, "insurance", new { maxReminders = 0 }, 404);
        await EditTaskAsync(provider, workflowId, 1, "nope", new { maxReminders = 0 }, 409);

        // A new draft (version 2) is editable; version 1 stays as it was published.
        var revision = await RevisionAsync(provider, workflowId);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(Screening()).ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            s.StatusCodeShouldBeOk();
        });
        await EditTaskAsync(provider, workflowId, 2, "nope", new { maxReminders = 0 }, 404);
        await EditTaskAsync(provider, workflowId, 2, "insurance", new { title = "Changed", maxReminders = 0 }, 200);
        var definition = await DefinitionAsync(workflowId);
        definition.Versions[0].Content.Stages[1].Tasks[0].Title.ShouldBeNull();
        definition.Versions[1].Content.Stages[1].Tasks[0].Title.ShouldBe("Changed");

        // A stale editor changes nothing.
        await EditTaskAsync(provider, workflowId, 2, "insurance", new { title = "Stale", maxReminders = 0 }, 409, revision);
        (await DefinitionAsync(workflowId)).Latest.Content.Stages[1].Tasks[0].Title.ShouldBe("Changed");
    }

    [Theory]
    [InlineData("dueInDays", 0, null, null, null)]
    [InlineData("remindEveryDays", null, null, null, 3)]
    [InlineData("condition.taskKey", null, "insurance", "score", null)]
    [InlineData("condition.operator", null, "phq9", "severity", null)]
    [InlineData("condition.value", null, "phq9", "score", null)]
    public async Task A_task_edit_that_breaks_a_rule_answers_400_naming_the_field_and_changes_nothing(
        string field, int? due, string? conditionTask, string? conditionField, int? maxReminders)
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, Screening());
        var before = (await DefinitionAsync(workflowId)).Latest.Content;
        object? condition = conditionTask is null
            ? null
            : new
            {
                taskKey = conditionTask, field = conditionField,
                // A severity compared as a number, or a score compared with a word.
                @operator = conditionField == "severity" ? "AtLeast" : "AtMost",
                value = conditionField == "severity" ? "10" : "a lot",
            };

        var result = await EditTaskAsync(provider, workflowId, 1, "gad7",
            new { dueInDays = due, maxReminders = maxReminders ?? 0, condition }, 400);

        var errors = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("errors");
        errors.TryGetProperty(field, out _).ShouldBeTrue($"no error for {field} in {errors}");
        (await DefinitionAsync(workflowId)).Latest.Content.ShouldBeEquivalentTo(before);
    }

    [Fact]
    public async Task The_preview_shows_what_a_client_sees_at_each_stage_with_the_chosen_answers()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, Screening());

        async Task<JsonElement> PreviewAsync(object body, int status = 200)
        {
            var result = await Host.Scenario(s =>
            {
                s.SignedIn(Kit.ProviderCookie(provider));
                s.PostJsonTo(body, $"/api/workflows/{workflowId}/preview");
                s.StatusCodeShouldBe(status);
            });
            return await IntakeTestKit.ReadJsonAsync(result);
        }

        static string[] Asked(JsonElement preview, int stage) =>
        [
            .. preview.GetProperty("stages")[stage].GetProperty("tasks").EnumerateArray()
                .Where(t => t.GetProperty("state").GetString() == "Asked").Select(t => t.GetProperty("title").GetString()!),
        ];

        var none = await PreviewAsync(new { });
        Asked(none, 0).ShouldBe(["Complete the PHQ-9 depression questionnaire"]);
        Asked(none, 1).ShouldBe(["Add your insurance"]);
        var input = none.GetProperty("inputs").EnumerateArray().ShouldHaveSingleItem();
        input.GetProperty("name").GetString().ShouldBe("phq9.score");
        input.GetProperty("label").GetString().ShouldBe("The PHQ-9 score");
        var gad7 = none.GetProperty("stages")[1].GetProperty("tasks")[1];
        gad7.GetProperty("state").GetString().ShouldBe("Skipped");
        gad7.GetProperty("condition").GetString().ShouldBe("Only when the PHQ-9 score is at least 10");

        Asked(await PreviewAsync(new { answers = new Dictionary<string, string> { ["phq9.score"] = "12" } }), 1)
            .ShouldBe(["Add your insurance", "Complete the GAD-7 anxiety questionnaire"]);
        Asked(await PreviewAsync(new { answers = new Dictionary<string, string> { ["phq9.score"] = "9" } }), 1)
            .ShouldBe(["Add your insurance"]);

        var unknown = await PreviewAsync(new { answers = new Dictionary<string, string> { ["gad7.score"] = "3" } }, 400);
        unknown.GetProperty("errors").TryGetProperty("answers.gad7.score", out _).ShouldBeTrue(unknown.ToString());
        await PreviewAsync(new { version = 4 }, 404);
    }

    [Fact]
    public async Task Assigning_a_workflow_a_client_has_running_is_refused_naming_them_and_since_when_unless_assign_again()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider, "Wren");
        var other = await Kit.NewClientAsync(provider, "Otto");
        var workflowId = await CreateWorkflowAsync(provider, Screening());
        await PublishAsync(provider, workflowId);
        await AssignAsync(provider, workflowId, client);

        var refused = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = new[] { other, client } }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBe(409);
        });
        var problem = await IntakeTestKit.ReadJsonAsync(refused);
        problem.GetProperty("code").GetString().ShouldBe("alreadyRunning");
        problem.GetProperty("detail").GetString()!.ShouldMatch(
            "^Wren [^ ]+ has had \u201cScreening\u201d running since [A-Z][a-z]{2} \\d{1,2}, \\d{4}\\. Nobody was assigned\\.");
        problem.GetProperty("running").EnumerateArray().ShouldHaveSingleItem().GetProperty("clientId").GetGuid().ShouldBe(client);
        await using (var session = OpenSession())
        {
            (await session.Query<IntakeAssignment>().CountAsync(a => a.DefinitionId == workflowId)).ShouldBe(1);
        }

        var (_, again) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { clientIds = new[] { other, client }, assignAgain = true }, $"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBeOk();
        });
        (await IntakeTestKit.ReadJsonAsync(again)).GetProperty("assignments").GetArrayLength().ShouldBe(2);
        await using (var session = OpenSession())
        {
            (await session.Query<IntakeAssignment>().CountAsync(a => a.DefinitionId == workflowId && a.ClientId == client)).ShouldBe(2);
        }
    }
}
