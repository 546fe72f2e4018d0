using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// Issue #30's "Shown by", in Chromium through the pages only: the owner builds a workflow with a stage of two tracks (the
/// intake form then a PHQ-9 repeating every 2 weeks until discharge; insurance only when the client bills insurance),
/// autopay opening 7 days before the first session, and a GAD-7 when the PHQ-9 is 10 or more; previews it as an insured
/// and as a self-pay client; publishes; assigns it with a first-session date; moves that date on the assignment page and
/// sees the open date move; the client fills in the form; version 2 is published and the running assignment moved on
/// the migration page, the form staying done. At 1280×800, the key steps also at 390×844, screenshots kept.
/// </summary>
public sealed class WorkflowsV2JourneyBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly TimeZoneInfo NewYork = PortalTime.Find("America/New_York")!;

    private static object IntakeSchema => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = "Do you have health insurance?", type = "YesNo", required = true },
            } },
        },
    };

    [Fact]
    public async Task A_provider_builds_previews_assigns_moves_the_first_session_and_migrates_a_running_assignment() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Casey", "Client");
        // What the practice has before the workflow: its intake form, and Casey billing insurance.
        var created = await BrowserJourney.SendAsync(people.Provider, "POST", "/api/forms",
            new { title = "New client intake", schema = IntakeSchema }, 201);
        var formId = created.GetProperty("formId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "POST", $"/api/forms/{formId}/publish",
            new { revision = created.GetProperty("revision").GetInt32() }, 200));
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Provider, "PUT",
            $"/api/console/clients/{people.ClientId}",
            new { firstName = "Casey", lastName = "Client", dateOfBirth = new DateOnly(1990, 4, 17), billing = "insurance" }, 200));

        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(1280, 800);
        var csp = BrowserJourney.WatchCsp(console);

        // 1. A new workflow whose first stage asks for autopay.
        await console.GotoAsync("/console/workflows");
        var create = Section(console, "New workflow");
        await create.GetByLabel("Name", new() { Exact = true }).FillAsync("Adult intake");
        await create.GetByLabel("First stage").FillAsync("Before the first session");
        await create.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Enroll in autopay" });
        await create.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/workflows/[0-9a-f-]{36}$"));
        var workflowId = Guid.Parse(console.Url.Split('/').Last());
        var stage = console.Locator("section.stage", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Stage 1: Before the first session" }) });

        // 2. Two tracks: the form then a PHQ-9 every 2 weeks until discharge; insurance only when the client bills insurance.
        await AddTrackAsync(console, stage, "Forms", "Complete an intake form", "New client intake");
        var forms = Track(console, "Track 1: Forms");
        await forms.GetByText("Add a task to Forms").ClickAsync();
        var addToForms = FormWith(forms, "Add to track");
        await addToForms.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await addToForms.GetByLabel("Document, form or assessment (for those kinds of task)")
            .SelectOptionAsync(new SelectOptionValue { Label = "PHQ-9" });
        await addToForms.GetByLabel("Repeat every (weeks)").FillAsync("2");
        await addToForms.GetByLabel("Until discharge").CheckAsync();
        (await PostAsync(console, () => addToForms.GetByRole(AriaRole.Button, new() { Name = "Add to track" }).ClickAsync())).ShouldBe(302);
        await Expect(forms.Locator("li[data-key=phq9]")).ToContainTextAsync("Repeats: every 2 weeks until discharge");

        await AddTrackAsync(console, stage, "Insurance", "Add insurance", null);
        var insurance = Track(console, "Track 2: Insurance").Locator("li[data-key=insurance]");
        await insurance.GetByText("Edit insurance").ClickAsync();
        await insurance.GetByLabel("Only when", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "client bills insurance" });
        await insurance.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(insurance).ToContainTextAsync("Only when client bills insurance");

        // 3. Autopay opens 7 days before the first session, due 2 days before.
        var autopay = console.Locator("li[data-key=autopay]");
        await autopay.GetByText("Edit autopay").ClickAsync();
        await WorkflowBuilderSteps.FillDaysBeforeAsync(autopay, "the first session", opensDaysBefore: 7, dueDaysBefore: 2);
        await autopay.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(autopay).ToContainTextAsync("Opens: 7 days before the first session");
        await Expect(autopay).ToContainTextAsync("Due: 2 days before the first session");

        // 4. A follow-up stage: the GAD-7 only when the PHQ-9 score is 10 or more.
        var addStage = Section(console, "Add a stage");
        await addStage.GetByLabel("Stage name").FillAsync("Follow up");
        await addStage.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await addStage.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        await addStage.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        var gad7 = console.Locator("li[data-key=gad7]");
        await gad7.GetByText("Edit gad7").ClickAsync();
        await gad7.GetByLabel("Only when", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "the PHQ-9 score" });
        await gad7.GetByLabel("Comparison", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "is at least" });
        await gad7.GetByLabel("Value", new() { Exact = true }).FillAsync("10");
        await gad7.GetByRole(AriaRole.Button, new() { Name = "Save task" }).ClickAsync();
        await Expect(gad7).ToContainTextAsync("Only when the PHQ-9 score is at least 10");
        await KeyStepAsync(console, "1-built");

        // 5. Preview as an insured client with a PHQ-9 of 12, then as a self-pay client with a PHQ-9 of 4.
        var firstSession = PortalTime.Day(DateTimeOffset.UtcNow, NewYork).AddDays(20);
        await console.GetByRole(AriaRole.Link, new() { Name = "Preview as a client" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Preview: Adult intake" })).ToBeVisibleAsync();
        await console.GetByLabel("The client pays").SelectOptionAsync(new SelectOptionValue { Label = "With insurance" });
        await console.GetByLabel("The PHQ-9 score").FillAsync("12");
        await console.GetByLabel("First session", new() { Exact = true }).FillAsync($"{firstSession:yyyy-MM-dd}T15:00");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Insurance at step 1" })).ToContainTextAsync("insurance");
        await Expect(console.Locator("p[data-task=insurance]")).ToContainTextAsync("Asked:");
        await Expect(console.Locator("p[data-schedule=autopay]")).ToContainTextAsync("Opens 7 days before the first session");
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Tasks the client sees at step 2" })).ToContainTextAsync("GAD-7");
        await KeyStepAsync(console, "2-preview-insurance");

        await console.GetByLabel("The client pays").SelectOptionAsync(new SelectOptionValue { Label = "Self-pay" });
        await console.GetByLabel("The PHQ-9 score").FillAsync("4");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Insurance at step 1" })).ToHaveCountAsync(0);
        await Expect(console.Locator("p[data-task=insurance]")).ToContainTextAsync("Only when client bills insurance");
        await Expect(console.Locator("p[data-task=gad7]")).ToContainTextAsync("Skipped:");
        await KeyStepAsync(console, "3-preview-self-pay");

        // 6. Published and assigned to Casey with the first session in 20 days.
        await console.GotoAsync($"/console/workflows/{workflowId}");
        await console.GetByRole(AriaRole.Button, new() { Name = "Publish version 1" }).ClickAsync();
        var assign = Section(console, "Assign version 1 to clients");
        await assign.GetByLabel("Casey Client").CheckAsync();
        await assign.GetByLabel("First session", new() { Exact = true }).FillAsync($"{firstSession:yyyy-MM-dd}T15:00");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });
        var assignmentId = await AssignmentIdAsync(workflowId);

        // 7. On the assignment page autopay opens 7 days before the first session; moved 10 days later, so does it.
        await console.GotoAsync($"/console/assignments/{assignmentId}");
        var autopayTask = console.Locator("li[data-task=autopay]");
        await Expect(autopayTask.Locator(".task-state")).ToHaveTextAsync($"Opens {PortalTime.Date(firstSession.AddDays(-7))}");
        await Expect(console.Locator("li[data-task=insurance]")).ToContainTextAsync("Open");
        var later = firstSession.AddDays(10);
        await console.GetByLabel("First session", new() { Exact = true }).FillAsync($"{later:yyyy-MM-dd}T09:30");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            console.GetByRole(AriaRole.Button, new() { Name = "Change first session date" }).ClickAsync());
        await Expect(autopayTask.Locator(".task-state")).ToHaveTextAsync($"Opens {PortalTime.Date(later.AddDays(-7))}");
        await KeyStepAsync(console, "4-first-session-moved");

        // 8. Casey fills in the intake form: the form is done, the PHQ-9 opens.
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Client, "POST", $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = true } }, 201));
        await console.ReloadAsync();
        await Expect(console.Locator("li[data-task=form]")).ToContainTextAsync("Completed");

        // 9. Version 2: a closing check-in stage; published.
        await console.GotoAsync($"/console/workflows/{workflowId}");
        addStage = Section(console, "Add a stage");
        await addStage.GetByLabel("Stage name").FillAsync("Check-in");
        await addStage.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Complete an assessment" });
        await addStage.GetByLabel("Document, form or assessment (for those kinds of task)").SelectOptionAsync(new SelectOptionValue { Label = "GAD-7" });
        await addStage.GetByRole(AriaRole.Button, new() { Name = "Add stage" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Stage 3: Check-in" })).ToBeVisibleAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Publish version 2" }).ClickAsync();
        await Expect(Section(console, "Assign version 2 to clients")).ToBeVisibleAsync();

        // 10. The migration page: what changes for Casey, then the move; the form stays done.
        await console.GotoAsync("/console/workflows");
        var card = console.Locator("li", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Adult intake", Exact = true }) });
        await card.GetByRole(AriaRole.Link, new() { Name = "Move running assignments" }).ClickAsync();
        await console.GetByLabel("Casey Client").CheckAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Check what changes" }).ClickAsync();
        var changes = Section(console, "What changes in version 2")
            .Locator("li", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Casey Client" }) });
        await Expect(changes.Locator("dt:text-is('Stays done') + dd")).ToContainTextAsync("New client intake");
        await Expect(changes).ToContainTextAsync("Dropped (not in version 2) Nothing");
        await KeyStepAsync(console, "5-migration-check");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            console.GetByRole(AriaRole.Button, new() { Name = "Move 1 assignment to version 2" }).ClickAsync());
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Moved 1 assignment to version 2.");
        await KeyStepAsync(console, "6-migrated");

        await console.GotoAsync($"/console/assignments/{assignmentId}");
        await Expect(console.Locator("main")).ToContainTextAsync("version 2");
        await Expect(console.Locator("main")).ToContainTextAsync("Moved from version 1 to 2 by Pat Provider");
        await Expect(console.Locator("li[data-task=form]")).ToContainTextAsync("Completed");
        await Expect(console.Locator("li[data-task=form]")).ToHaveCountAsync(1);
        await KeyStepAsync(console, "7-assignment-on-version-2");
        csp.ShouldBeEmpty();
    });

    private static ILocator Section(IPage page, string heading) =>
        page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }) });

    private static ILocator Track(IPage page, string heading) =>
        page.Locator("section.track", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading }) });

    private static ILocator FormWith(ILocator scope, string button) =>
        scope.Locator("form", new() { Has = scope.Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }) });

    private static async Task AddTrackAsync(IPage console, ILocator stage, string name, string kind, string? subject)
    {
        await stage.GetByText("Add a track to stage 1").ClickAsync();
        var form = FormWith(stage, "Add track");
        await form.GetByLabel("Track name").FillAsync(name);
        await form.GetByLabel("First task of the track").SelectOptionAsync(new SelectOptionValue { Label = kind });
        if (subject is not null)
            await form.GetByLabel("Its document, form or assessment").SelectOptionAsync(new SelectOptionValue { Label = subject });
        (await PostAsync(console, () => form.GetByRole(AriaRole.Button, new() { Name = "Add track" }).ClickAsync())).ShouldBe(302);
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = $": {name}" })).ToBeVisibleAsync();
    }

    private static async Task<int> PostAsync(IPage page, Func<Task> press)
    {
        var response = await page.RunAndWaitForResponseAsync(press, r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }

    private async Task<Guid> AssignmentIdAsync(Guid workflowId)
    {
        await using var session = Fixture.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<IntakeAssignment>().Where(a => a.DefinitionId == workflowId).ToListAsync()).Single().Id;
    }

    /// <summary>A key step: axe and no sideways scroll at desktop and phone width, a screenshot of each; back to desktop.</summary>
    private static async Task KeyStepAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "journey");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (390, 844), (1280, 800) })
        {
            await page.SetViewportSizeAsync(width, height);
            (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty($"{name} at {width}");
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse($"{name} at {width}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}-{width}.png"), FullPage = true });
        }
    }
}
