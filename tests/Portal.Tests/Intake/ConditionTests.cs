using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

public sealed class ConditionTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private async Task<(ProviderActor Provider, Guid Client, Guid AssignmentId)> AssignScreeningAsync()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Screening",
        [
            new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Follow up",
            [
                Task("gad7", TaskKind.CompleteAssessment, "gad7", new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10")),
                Task("insurance", TaskKind.AddInsurance),
            ]),
        ]));
        await PublishAsync(provider, workflowId);
        var (_, ids) = await AssignAsync(provider, workflowId, client);
        return (provider, client, ids[0]);
    }

    [Fact]
    public async Task A_task_whose_condition_does_not_match_the_earlier_score_is_skipped_and_not_requested()
    {
        var (provider, client, assignmentId) = await AssignScreeningAsync();

        var tracked = await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "phq9",
            Guid.NewGuid(), 6, "mild", false,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));

        tracked.Published<TaskRequested>().ShouldHaveSingleItem().Kind.ShouldBe(TaskKind.AddInsurance);
        var events = await Kit.EventsAsync(assignmentId);
        var skipped = events.OfType<AssignmentTaskSkipped>().ShouldHaveSingleItem();
        skipped.Key.ShouldBe("gad7");
        skipped.ByCondition.ShouldBeTrue();
        Names(events).ShouldBe(
        [
            nameof(AssignmentStarted), nameof(AssignmentStageStarted), nameof(AssignmentTaskRequested),
            nameof(AssignmentTaskCompleted),
            nameof(AssignmentStageStarted), nameof(AssignmentTaskSkipped), nameof(AssignmentTaskRequested),
        ]);
    }

    [Fact]
    public async Task A_task_whose_condition_matches_the_earlier_score_is_requested()
    {
        var (provider, client, assignmentId) = await AssignScreeningAsync();

        var tracked = await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "phq9",
            Guid.NewGuid(), 12, "moderate", false,
            new Actor(ActorKind.Client, client, "Ana"), Clock.GetUtcNow()));

        tracked.Published<TaskRequested>().Select(t => t.Kind).ShouldBe([TaskKind.CompleteAssessment, TaskKind.AddInsurance]);
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskSkipped>().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_form_answer_condition_waits_for_the_answers_and_skips_when_they_do_not_match()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var form = await Kit.PublishedFormAsync(provider, "History", "has_insurance", "reason");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("About you", [Task("history", TaskKind.CompleteIntakeForm, form.ToString())]),
            new StageSpec("Coverage", [Task("insurance", TaskKind.AddInsurance,
                condition: new TaskCondition("history", "has_insurance", ConditionOperator.Equals, "yes"))]),
        ]));
        await PublishAsync(provider, workflowId);
        var (_, ids) = await AssignAsync(provider, workflowId, client);
        var actor = new Actor(ActorKind.Client, client, "Ana");

        // "Form completed" alone does not complete a form whose answers a condition tests.
        await Kit.PublishAsync(new IntakeFormCompleted(Guid.NewGuid(), client, provider.ProviderId, form, 1, "History", actor, Clock.GetUtcNow()));
        (await Kit.EventsAsync(ids[0])).OfType<AssignmentTaskCompleted>().ShouldBeEmpty();

        var tracked = await Kit.PublishAsync(new IntakeFormAnswersShared(Guid.NewGuid(), client, form, 1,
            new Dictionary<string, string> { ["has_insurance"] = "no", ["reason"] = "private" }, Clock.GetUtcNow()));

        tracked.Published<AssignmentCompleted>().ShouldHaveSingleItem();
        var events = await Kit.EventsAsync(ids[0]);
        events.OfType<AssignmentTaskSkipped>().ShouldHaveSingleItem().Key.ShouldBe("insurance");
        // Only the answer the condition tests is kept on the assignment.
        events.OfType<AssignmentTaskCompleted>().Single().Answers!.Keys.ShouldBe(["has_insurance"]);
    }

    [Fact]
    public async Task A_form_field_a_condition_tests_must_exist_on_the_form() =>
        (await RefusedConditionAsync("no_such_field", "yes")).TryGetProperty("stages[1].tasks[0].condition.field", out _).ShouldBeTrue();

    [Fact]
    public async Task A_condition_value_or_field_over_its_limit_is_refused_naming_it_and_its_limit_and_nothing_is_stored()
    {
        var errors = await RefusedConditionAsync(new string('f', 51), new string('v', 501));
        errors.GetProperty("stages[1].tasks[0].condition.value")[0].GetString().ShouldBe("A condition's value has at most 500 characters.");
        errors.GetProperty("stages[1].tasks[0].condition.field")[0].GetString().ShouldBe("A form field's key has at most 50 characters.");
        await using var session = OpenSession();
        (await session.Query<WorkflowDefinition>().CountAsync()).ShouldBe(0);
    }

    /// <summary>A workflow whose second stage waits on an answer to the first stage's form, refused (400): its errors.</summary>
    private async Task<System.Text.Json.JsonElement> RefusedConditionAsync(string field, string value)
    {
        var provider = await Kit.NewProviderAsync();
        var form = await Kit.PublishedFormAsync(provider, "History", "has_insurance");
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new WorkflowContent("Intake",
            [
                new StageSpec("About you", [Task("history", TaskKind.CompleteIntakeForm, form.ToString())]),
                new StageSpec("Coverage", [Task("insurance", TaskKind.AddInsurance,
                    condition: new TaskCondition("history", field, ConditionOperator.Equals, value))]),
            ]), "/api/workflows");
            s.StatusCodeShouldBe(400);
        });
        return (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("errors");
    }
}
