using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The workflow builder as a provider uses it, at desktop and phone width: conditions chosen from drop-downs and shown
/// in words, a task edited in place, buttons that cannot be pressed looking it, drag to reorder beside Up/Down, the
/// preview of what a client sees; assigning a running workflow twice; the request form after an error.
/// </summary>
public sealed class WorkflowBuilderBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_provider_builds_a_condition_in_words_edits_a_task_in_place_drags_it_and_previews_what_a_client_sees(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);

        await console.GotoAsync("/console/workflows");
        var create = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "New workflow" }) });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("Screening intake");
        await create.GetByLabel("First stage").FillAsync("Screening");
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await create.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "PHQ-9" });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));

        var addStage = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Add a stage" }) });
        await addStage.GetByLabel("Stage name").FillAsync("Follow up");
        await addStage.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Add insurance" });
        await addStage.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        var followUp = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Stage 2: Follow up" }) });
        await Expect(followUp).ToBeVisibleAsync();

        // A condition as a sentence of drop-downs: only when [the PHQ-9 score] [is at least] [10].
        await followUp.GetByText("Add a task to stage 2").ClickAsync();
        await followUp.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await followUp.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        var addForm = followUp.Locator("form", new() { Has = console.GetByRole(AriaRole.Button, new() { Name = "Add task" }) });
        await addForm.GetByLabel("Only when", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 score" });
        await addForm.GetByLabel("Comparison").SelectOptionAsync(new SelectOptionValue { Label = "is at least" });
        await addForm.GetByLabel("Value").FillAsync("10");
        await addForm.GetByRole(AriaRole.Button, new() { Name = "Add task" }).ClickAsync();
        var gad7 = console.Locator("li[data-key=gad7]");
        await Expect(gad7).ToContainTextAsync("Only when the PHQ-9 score is at least 10");
        await Expect(console.Locator("main")).Not.ToContainTextAsync("AtLeast");

        // Edited in place: same key, same place, new title and due date.
        var insurance = console.Locator("li[data-key=insurance]");
        await insurance.GetByText("Edit insurance").ClickAsync();
        await insurance.GetByLabel("Title the client sees (optional)").FillAsync("Add your insurance card");
        await insurance.GetByLabel("Due in (days, optional)").FillAsync("7");
        await insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the changes to \u201cinsurance\u201d.");
        await Expect(insurance).ToContainTextAsync("Add your insurance card");
        await Expect(insurance).ToContainTextAsync("Due: 7 days after the stage opens");
        (await TaskKeysAsync(console, 1)).ShouldBe(["insurance", "gad7"]);

        // A button that cannot be pressed looks it.
        var firstUp = console.GetByRole(AriaRole.Button, new() { Name = "Move stage 1 up" });
        await Expect(firstUp).ToBeDisabledAsync();
        var look = await firstUp.EvaluateAsync<string[]>("b => [getComputedStyle(b).opacity, getComputedStyle(b).cursor]");
        double.Parse(look[0], System.Globalization.CultureInfo.InvariantCulture).ShouldBeLessThan(0.6);
        look[1].ShouldBe("not-allowed");

        // Drag a task above another; the Up/Down buttons (keyboard, no script) do the same.
        await gad7.Locator(".drag-handle").DragToAsync(insurance);
        await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Move gad7 up" })).ToBeDisabledAsync();
        (await TaskKeysAsync(console, 1)).ShouldBe(["gad7", "insurance"]);
        await console.GetByRole(AriaRole.Button, new() { Name = "Move gad7 down" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Move gad7 down" })).ToBeDisabledAsync();
        (await TaskKeysAsync(console, 1)).ShouldBe(["insurance", "gad7"]);

        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"builder-{width}");

        // The preview: no score given, the GAD-7 is skipped; a score of 12 opens it at step 2.
        await console.GetByRole(AriaRole.Link, new() { Name = "Preview as a client" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Preview: Screening intake" })).ToBeVisibleAsync();
        var step2 = console.GetByRole(AriaRole.List, new() { Name = "Tasks the client sees at step 2" });
        await Expect(step2.GetByRole(AriaRole.Listitem)).ToHaveTextAsync([new Regex("^Add your insurance card \u2014 due 7 days")]);
        await console.GetByLabel("The PHQ-9 score").FillAsync("12");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(step2.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(
            [new Regex("^Add your insurance card"), new Regex("^Complete the GAD-7 anxiety questionnaire$")]);
        await Expect(console.GetByLabel("The PHQ-9 score")).ToHaveValueAsync("12");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, $"builder-preview-{width}");
        csp.ShouldBeEmpty();
    });

    [Fact]
    public async Task Assigning_a_workflow_a_client_has_running_is_refused_naming_them_and_since_when_unless_assign_again_is_chosen() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(390, 844);
        await console.GotoAsync("/console/workflows");
        var create = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "New workflow" }) });
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("Welcome");
        await create.GetByLabel("First stage").FillAsync("Paperwork");
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Add insurance" });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();

        var assign = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Assign version 1 to clients" }) });
        await assign.GetByLabel("Casey Client").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });

        await assign.GetByLabel("Casey Client").CheckAsync();
        await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
        var alert = console.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync(new Regex(
            "Casey Client has had \u201cWelcome\u201d running since [A-Z][a-z]{2} \\d{1,2}, \\d{4}\\. Nobody was assigned\\."));
        await Expect(assign.GetByLabel("Casey Client")).ToBeCheckedAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        (await OverflowsAsync(console)).ShouldBeFalse();
        await ScreenshotAsync(console, "builder-assign-refused-390");

        await assign.GetByLabel("Assign again").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });
        await Expect(console.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    });

    [Fact]
    public async Task The_request_form_keeps_what_was_chosen_after_an_error() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(1280, 800);
        await console.GotoAsync($"/console/clients/{people.ClientId}/requests");
        await console.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Sign a document" });
        await console.GetByLabel("Title the client sees (optional)").FillAsync("Our policies");
        await console.GetByLabel("Due in (days, optional)").FillAsync("5");
        await console.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        await Expect(console.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose the document to sign");
        await Expect(console.GetByLabel("Task", new() { Exact = true })).ToHaveValueAsync("SignDocument");
        await Expect(console.GetByLabel("Title the client sees (optional)")).ToHaveValueAsync("Our policies");
        await Expect(console.GetByLabel("Due in (days, optional)")).ToHaveValueAsync("5");

        await console.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await console.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        await console.GetByLabel("Due in (days, optional)").FillAsync("");
        await console.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Requested \u201cOur policies\u201d.");
    });

    private static Task<string[]> TaskKeysAsync(IPage page, int stage) =>
        page.Locator($"ol[data-stage=\"{stage}\"] > li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.key)");

    private static Task<bool> OverflowsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth");

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "builder");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
