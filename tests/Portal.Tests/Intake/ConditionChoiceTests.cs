using System.Globalization;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;

namespace Portal.Tests.Intake;

/// <summary>
/// A condition on an intake form's answer is chosen from the answers the field offers: publishing a form tells the
/// workflows each field's label and answers, and a value the field does not offer is refused (400 naming the value).
/// </summary>
public sealed class ConditionChoiceTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private const string InsuranceQuestion = "Do you have health insurance?";

    private static object Schema => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = InsuranceQuestion, type = "YesNo", required = true },
                new { key = "referral", label = "Who sent you to us?", type = "SingleChoice", required = false,
                    options = new[] { "Doctor", "Friend", "Online search" } },
                new { key = "payer", label = "Insurance company", type = "ShortText", required = false, maxLength = 100 },
            } },
        },
    };

    /// <summary>A form created and published through the forms API, once the workflows have heard of it.</summary>
    private async Task<Guid> PublishedFormAsync(ProviderActor provider)
    {
        var created = await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.PostJsonTo(new { title = "New client intake", schema = Schema }, "/api/forms");
            s.StatusCodeShouldBe(201);
        });
        var json = await IntakeTestKit.ReadJsonAsync(created);
        var formId = json.GetProperty("formId").GetGuid();
        await TrackedScenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.PostJsonTo(new { revision = json.GetProperty("revision").GetInt32() }, $"/api/forms/{formId}/publish");
            s.StatusCodeShouldBeOk();
        });
        return formId;
    }

    private static WorkflowContent Workflow(Guid formId, string field, string value, ConditionOperator op = ConditionOperator.Equals) =>
        new("Intake",
        [
            new StageSpec("About you", [Task("history", TaskKind.CompleteIntakeForm, formId.ToString())]),
            new StageSpec("Coverage", [Task("insurance", TaskKind.AddInsurance, condition: new TaskCondition("history", field, op, value))]),
        ]);

    private async Task<IScenarioResult> PostWorkflowAsync(ProviderActor provider, WorkflowContent content, int status) =>
        await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.PostJsonTo(content, "/api/workflows");
            s.StatusCodeShouldBe(status);
        });

    [Fact]
    public async Task Publishing_a_form_tells_the_workflows_each_fields_label_and_the_answers_it_offers()
    {
        var provider = await Kit.NewProviderAsync();
        var formId = await PublishedFormAsync(provider);

        await using var session = OpenSession();
        var item = (await session.LoadAsync<CatalogItem>(formId)).ShouldNotBeNull();
        item.Fields.Select(f => (f.Key, f.Label)).ShouldBe(
            [("has_insurance", InsuranceQuestion), ("referral", "Who sent you to us?"), ("payer", "Insurance company")]);
        item.Fields[0].Options.Select(o => (o.Value, o.Label)).ShouldBe([("yes", "Yes"), ("no", "No")]);
        item.Fields[1].Options.Select(o => o.Value).ShouldBe(["Doctor", "Friend", "Online search"]);
        item.Fields[2].Options.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_condition_on_a_yes_or_no_answer_that_is_neither_is_refused_naming_the_value_and_nothing_is_stored()
    {
        var provider = await Kit.NewProviderAsync();
        var formId = await PublishedFormAsync(provider);

        var refused = await PostWorkflowAsync(provider, Workflow(formId, "has_insurance", "maybe"), 400);

        var errors = (await IntakeTestKit.ReadJsonAsync(refused)).GetProperty("errors");
        errors.GetProperty("stages[1].tasks[0].condition.value")[0].GetString()
            .ShouldBe($"Choose one of the answers to \u201c{InsuranceQuestion}\u201d: Yes, No.");
        await using var session = OpenSession();
        (await session.Query<WorkflowDefinition>().CountAsync()).ShouldBe(0);

        await PostWorkflowAsync(provider, Workflow(formId, "has_insurance", "yes"), 201);
    }

    [Fact]
    public async Task A_choice_field_takes_one_of_its_options_and_a_free_text_field_takes_any_answer()
    {
        var provider = await Kit.NewProviderAsync();
        var formId = await PublishedFormAsync(provider);

        var refused = await PostWorkflowAsync(provider, Workflow(formId, "referral", "Neighbour"), 400);
        (await IntakeTestKit.ReadJsonAsync(refused)).GetProperty("errors").GetProperty("stages[1].tasks[0].condition.value")[0]
            .GetString().ShouldBe("Choose one of the answers to \u201cWho sent you to us?\u201d: Doctor, Friend, Online search.");

        await PostWorkflowAsync(provider, Workflow(formId, "referral", "Friend"), 201);
        await PostWorkflowAsync(provider, Workflow(formId, "payer", "Hidden Mutual"), 201);
    }

    [Fact]
    public async Task Editing_a_task_to_an_answer_the_field_does_not_offer_is_refused_naming_the_value_and_the_draft_is_unchanged()
    {
        var provider = await Kit.NewProviderAsync();
        var formId = await PublishedFormAsync(provider);
        var workflowId = await CreateWorkflowAsync(provider, Workflow(formId, "has_insurance", "yes"));
        var revision = await RevisionAsync(provider, workflowId);

        var refused = await Host.Scenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.Put.Json(new EditTaskRequest(Condition: new TaskCondition("history", "has_insurance", ConditionOperator.Equals, "sometimes")))
                .ToUrl($"/api/workflows/{workflowId}/versions/1/tasks/insurance")
                .QueryString("expectedRevision", revision.ToString(CultureInfo.InvariantCulture));
            s.StatusCodeShouldBe(400);
        });

        (await IntakeTestKit.ReadJsonAsync(refused)).GetProperty("errors").GetProperty("condition.value")[0].GetString()
            .ShouldBe($"Choose one of the answers to \u201c{InsuranceQuestion}\u201d: Yes, No.");
        await using var session = OpenSession();
        var definition = (await session.LoadAsync<WorkflowDefinition>(workflowId)).ShouldNotBeNull();
        definition.Latest.Content.Stages[1].Tasks[0].Condition!.Value.ShouldBe("yes");
    }
}
