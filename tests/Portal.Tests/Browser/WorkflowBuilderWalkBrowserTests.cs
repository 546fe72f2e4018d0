using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The workflow builder walked at desktop and phone width: a task form the server refuses comes back as it was typed
/// with each error beside its field; a condition on a form's answer is chosen from the answers the field offers; the
/// whole walk (tasks, conditions, edit in place, reorder, preview, publish, assign) with a screenshot of each step.
/// </summary>
public sealed class WorkflowBuilderWalkBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string InsuranceQuestion = "Do you have health insurance?";

    private static object IntakeSchema => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = InsuranceQuestion, type = "YesNo", required = true },
                new { key = "payer", label = "Insurance company", type = "ShortText", required = false, maxLength = 100 },
            } },
        },
    };

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_task_the_server_refuses_comes_back_as_typed_with_each_error_beside_its_field(int width, int height) =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        await CreateAsync(console, "Screening intake", "Screening", "Complete an assessment", "PHQ-9");
        await AddStageAsync(console, "Follow up", "Add insurance");

        // Reminders without how often, and "at least" a word: both refused (400), the form comes back open as typed.
        var followUp = Stage(console, "Stage 2: Follow up");
        await followUp.GetByText("Add a task to stage 2").ClickAsync();
        var add = FormWith(followUp, "Add task");
        await add.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await add.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        await add.GetByLabel("Title the client sees (optional)").FillAsync("Anxiety check");
        await add.GetByLabel("Due in (days, optional)").FillAsync("7");
        await add.GetByLabel("at most (reminders)").FillAsync("3");
        await add.GetByLabel("Only when", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 score" });
        await add.GetByLabel("Comparison").SelectOptionAsync(new SelectOptionValue { Label = "is at least" });
        await add.GetByLabel("Value", new() { Exact = true }).FillAsync("ten");
        (await PostAsync(console, () => add.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync())).ShouldBe(400);

        await Expect(console.GetByRole(AriaRole.Alert)).ToContainTextAsync("Say how often to remind");
        await Expect(add).ToBeVisibleAsync();
        await Expect(add.GetByLabel("Task", new() { Exact = true })).ToHaveValueAsync("CompleteAssessment");
        await Expect(add.GetByLabel("Document, form or assessment (for those kinds of task)")).ToHaveValueAsync("gad7");
        await Expect(add.GetByLabel("Title the client sees (optional)")).ToHaveValueAsync("Anxiety check");
        await Expect(add.GetByLabel("Due in (days, optional)")).ToHaveValueAsync("7");
        await Expect(add.GetByLabel("at most (reminders)")).ToHaveValueAsync("3");
        await Expect(add.GetByLabel("Only when", new() { Exact = true })).ToHaveValueAsync("phq9|score");
        await Expect(add.GetByLabel("Comparison")).ToHaveValueAsync("AtLeast");
        await Expect(add.GetByLabel("Value", new() { Exact = true })).ToHaveValueAsync("ten");
        var every = add.GetByLabel("Remind every (days)");
        await Expect(every).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(every).ToHaveAccessibleDescriptionAsync("Say how often to remind (every N days).");
        await Expect(add.GetByLabel("Value", new() { Exact = true })).ToHaveAccessibleDescriptionAsync(new Regex("give a number\\.$"));
        await Expect(add.GetByLabel("Due in (days, optional)")).Not.ToHaveAttributeAsync("aria-invalid", "true");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"add-task-refused-{width}");

        // Put right, it is added with everything typed before.
        await every.FillAsync("2");
        await add.GetByLabel("Value", new() { Exact = true }).FillAsync("10");
        (await PostAsync(console, () => add.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync())).ShouldBe(302);
        var gad7 = console.Locator("li[data-key=gad7]");
        await Expect(gad7).ToContainTextAsync("Anxiety check");
        await Expect(gad7).ToContainTextAsync("Due: 7 days after the stage opens");
        await Expect(gad7).ToContainTextAsync("every 2 days, up to 3");
        await Expect(gad7).ToContainTextAsync("Only when the PHQ-9 score is at least 10");

        // The same for a task edited in place: its form stays open with what was typed.
        var insurance = console.Locator("li[data-key=insurance]");
        await insurance.GetByText("Edit insurance").ClickAsync();
        await insurance.GetByLabel("Title the client sees (optional)").FillAsync("Your insurance card");
        await insurance.GetByLabel("at most (reminders)").FillAsync("2");
        (await PostAsync(console, () => insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync())).ShouldBe(400);
        await Expect(insurance.GetByLabel("Title the client sees (optional)")).ToBeVisibleAsync();
        await Expect(insurance.GetByLabel("Title the client sees (optional)")).ToHaveValueAsync("Your insurance card");
        await Expect(insurance.GetByLabel("at most (reminders)")).ToHaveValueAsync("2");
        await Expect(insurance.GetByLabel("Remind every (days)")).ToHaveAccessibleDescriptionAsync("Say how often to remind (every N days).");
        await ScreenshotAsync(console, $"edit-task-refused-{width}");

        await insurance.GetByLabel("Remind every (days)").FillAsync("3");
        await insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the changes to \u201cinsurance\u201d.");
        await Expect(insurance).ToContainTextAsync("Your insurance card");
        await Expect(insurance).ToContainTextAsync("every 3 days, up to 2");
    });

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_provider_walks_the_builder_choosing_a_form_answer_from_its_options_through_preview_publish_and_assign(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var created = await BrowserJourney.SendAsync(
            people.Provider, "POST", "/api/forms", new { title = "New client intake", schema = IntakeSchema }, 201);
        var formId = created.GetProperty("formId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST", $"/api/forms/{formId}/publish",
            new { revision = created.GetProperty("revision").GetInt32() }, 200));
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);

        await CreateAsync(console, "New client welcome", "Getting to know you", "Complete an assessment", "PHQ-9");
        var first = Stage(console, "Stage 1: Getting to know you");
        await first.GetByText("Add a task to stage 1").ClickAsync();
        var addFirst = FormWith(first, "Add task");
        await addFirst.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an intake form" });
        await addFirst.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = "New client intake" });
        await addFirst.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();
        await Expect(console.Locator("li[data-key=form]")).ToBeVisibleAsync();
        await AddStageAsync(console, "Coverage", "Add insurance");
        await ScreenshotAsync(console, $"walk-1-tasks-{width}");

        // The form's yes-or-no question: its answers are a drop-down (labels shown), the typed value goes away.
        var insurance = console.Locator("li[data-key=insurance]");
        await insurance.GetByText("Edit insurance").ClickAsync();
        var only = insurance.GetByLabel("Only when", new() { Exact = true });
        await only.SelectOptionAsync(new SelectOptionValue { Label = $"the answer to \u201c{InsuranceQuestion}\u201d in New client intake" });
        var answer = Shown(insurance.GetByLabel("Answer", new() { Exact = true }));
        await Expect(answer).ToBeVisibleAsync();
        (await answer.Locator("option").AllTextContentsAsync()).ShouldBe(["Yes", "No"]);
        await Expect(insurance.GetByLabel("Value", new() { Exact = true })).ToBeHiddenAsync();
        // A score is typed; a severity is chosen from its bands.
        await only.SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 score" });
        await Expect(insurance.GetByLabel("Value", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Shown(insurance.GetByLabel("Answer", new() { Exact = true }))).ToHaveCountAsync(0);
        await only.SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 severity" });
        (await Shown(insurance.GetByLabel("Answer", new() { Exact = true })).Locator("option").AllTextContentsAsync())
            .ShouldBe(["minimal", "mild", "moderate", "moderately severe", "severe"]);
        await only.SelectOptionAsync(new SelectOptionValue { Label = $"the answer to \u201c{InsuranceQuestion}\u201d in New client intake" });
        await answer.SelectOptionAsync(new SelectOptionValue { Label = "Yes" });
        await insurance.GetByLabel("Title the client sees (optional)").FillAsync("Add your insurance card");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"walk-2-form-answer-condition-{width}");
        await insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the changes to \u201cinsurance\u201d.");
        await Expect(insurance).ToContainTextAsync($"Only when the answer to \u201c{InsuranceQuestion}\u201d in New client intake is Yes");

        // A second task on the PHQ-9 score, then moved above the insurance task.
        var coverage = Stage(console, "Stage 2: Coverage");
        await coverage.GetByText("Add a task to stage 2").ClickAsync();
        var add = FormWith(coverage, "Add task");
        await add.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await add.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        await add.GetByLabel("Only when", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 score" });
        await add.GetByLabel("Comparison").SelectOptionAsync(new SelectOptionValue { Label = "is at least" });
        await add.GetByLabel("Value", new() { Exact = true }).FillAsync("10");
        await add.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();
        await Expect(console.Locator("li[data-key=gad7]")).ToContainTextAsync("Only when the PHQ-9 score is at least 10");
        await console.GetByRole(AriaRole.Button, new() { Name = "Move gad7 up" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Move gad7 up" })).ToBeDisabledAsync();
        (await console.Locator("ol[data-stage=\"1\"] > li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.key)"))
            .ShouldBe(["gad7", "insurance"]);
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"walk-3-builder-{width}");

        // The preview offers the form's answers too; "no" leaves the insurance task out.
        var builder = console.Url;
        await console.GetByRole(AriaRole.Link, new() { Name = "Preview as a client" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Preview: New client welcome" })).ToBeVisibleAsync();
        await console.GetByLabel($"The answer to \u201c{InsuranceQuestion}\u201d in New client intake")
            .SelectOptionAsync(new SelectOptionValue { Label = "no" });
        await console.GetByLabel("The PHQ-9 score").FillAsync("12");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Tasks the client sees at step 2" }).GetByRole(AriaRole.Listitem))
            .ToHaveTextAsync([new Regex("^Complete the GAD-7 anxiety questionnaire$")]);
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"walk-4-preview-{width}");

        await console.GotoAsync(builder);
        await console.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
        var assign = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Assign version 1 to clients" }) });
        await assign.GetByLabel("Casey Client").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"walk-5-assigned-{width}");
        csp.ShouldBeEmpty();
    });

    private static async Task CreateAsync(IPage console, string name, string stage, string kind, string subject)
    {
        await console.GotoAsync("/console/workflows");
        var create = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "New workflow" }) });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await create.GetByLabel("First stage").FillAsync(stage);
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = kind });
        await create.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = subject });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));
    }

    private static async Task AddStageAsync(IPage console, string name, string kind)
    {
        var addStage = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Add a stage" }) });
        await addStage.GetByLabel("Stage name").FillAsync(name);
        await addStage.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = kind });
        await addStage.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = $": {name}" })).ToBeVisibleAsync();
    }

    private static ILocator Stage(IPage page, string heading) =>
        page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

    /// <summary>The one of the matches a person sees (the condition's other answer lists are hidden and disabled).</summary>
    private static ILocator Shown(ILocator locator) => locator.Filter(new() { Visible = true });

    private static ILocator FormWith(ILocator scope, string button) =>
        scope.Locator("form", new() { Has = scope.Page.GetByRole(AriaRole.Button, new() { Name = button }) });

    /// <summary>Presses what posts the form and answers the status of the POST (400 for a refusal, 302 after a save).</summary>
    private static async Task<int> PostAsync(IPage page, Func<Task> press)
    {
        var response = await page.RunAndWaitForResponseAsync(press, r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }

    private static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "builder");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
