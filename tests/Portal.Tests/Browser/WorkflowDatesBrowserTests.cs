using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// Workflows v2's dates as a provider uses them (#30 items 1, 3 and 6), at desktop and phone width: assigning with a
/// first-session date (a date that does not exist refused beside its field, the ticks and typed dates kept), the
/// assignment's page saying each task's state in words and moving a task's open date when the first session moves,
/// the preview as an insured or a self-pay client, and the owner's page of the practice's named dates.
/// </summary>
public sealed class WorkflowDatesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private static readonly TimeZoneInfo NewYork = PortalTime.Find("America/New_York")!;

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_provider_assigns_with_a_first_session_date_and_moving_it_on_the_assignment_page_moves_the_task_s_open_date(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var workflowId = await PublishedAsync(people.Provider, new
        {
            name = "Before the first session",
            stages = new object[]
            {
                new
                {
                    name = "Getting ready",
                    tasks = new object[]
                    {
                        new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", repeat = new { everyWeeks = 2, untilDischarge = true } },
                        new
                        {
                            key = "insurance", kind = "AddInsurance",
                            opens = new { date = "firstSession", offsetDays = -7 }, due = new { date = "firstSession", offsetDays = -2 },
                        },
                    },
                },
            },
        });
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);

        // A time that does not exist in New York (clocks go forward at 2:00): refused beside the field, nothing assigned.
        await console.GotoAsync($"/console/workflows/{workflowId}");
        var assign = AssignSection(console);
        await assign.GetByLabel("Casey Client").CheckAsync();
        await assign.GetByLabel("First session").FillAsync("2027-03-14T02:30");
        (await PostAsync(console, () => assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync()))
            .ShouldBe(400);
        assign = AssignSection(console);
        var firstSession = assign.GetByLabel("First session");
        await Expect(firstSession).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(assign.Locator("#assign-date-firstSession-error")).ToContainTextAsync("a time skipped when clocks go forward does not exist");
        await Expect(firstSession).ToHaveValueAsync("2027-03-14T02:30");
        await Expect(assign.GetByLabel("Casey Client")).ToBeCheckedAsync();
        (await AssignmentIdAsync(workflowId)).ShouldBeNull();
        await CheckPageAsync(console, $"dates-assign-refused-{width}");

        // Assigned without the date: the insurance task waits for it; the PHQ-9 opens and repeats.
        await firstSession.FillAsync("");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await assign.GetByRole(AriaRole.Button, new() { Name = "Assign", Exact = true }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Assigned version 1 to 1 client(s).");
        });
        var assignmentId = (await AssignmentIdAsync(workflowId)).ShouldNotBeNull();
        await console.GotoAsync($"/console/assignments/{assignmentId}");
        var insurance = console.Locator("li[data-task=insurance]");
        await Expect(insurance.Locator(".task-state")).ToHaveTextAsync("Waiting for the first-session date.");
        await Expect(insurance).ToContainTextAsync("Opens 7 days before the first session; due 2 days before the first session");
        await Expect(console.Locator("li[data-task=phq9]")).ToContainTextAsync("Occurrence 1 \u2014 every 2 weeks until discharge");
        await Expect(console.Locator("dd[data-date=firstSession]")).ToHaveTextAsync("Not set");
        await CheckPageAsync(console, $"dates-assignment-waiting-{width}");

        // The first session set in 20 days: the task is scheduled to open 7 days before it.
        var today = PortalTime.Day(DateTimeOffset.UtcNow, NewYork);
        var first = today.AddDays(20);
        await console.GetByLabel("First session").FillAsync($"{first:yyyy-MM-dd}T15:00");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            console.GetByRole(AriaRole.Button, new() { Name = "Set first session date" }).ClickAsync());
        await Expect(console.Locator("dd[data-date=firstSession]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            $"^{System.Text.RegularExpressions.Regex.Escape(PortalTime.Date(first))}, 3:00 PM E[SD]T$"));
        await Expect(insurance.Locator(".task-state")).ToHaveTextAsync($"Opens {PortalTime.Date(first.AddDays(-7))}");

        // Moved ten days later: the open date moves with it.
        var later = first.AddDays(10);
        await console.GetByLabel("First session").FillAsync($"{later:yyyy-MM-dd}T09:30");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            console.GetByRole(AriaRole.Button, new() { Name = "Change first session date" }).ClickAsync());
        await Expect(insurance.Locator(".task-state")).ToHaveTextAsync($"Opens {PortalTime.Date(later.AddDays(-7))}");
        await Expect(console.GetByLabel("First session")).ToHaveValueAsync($"{later:yyyy-MM-dd}T09:30");
        await CheckPageAsync(console, $"dates-assignment-moved-{width}");
        csp.ShouldBeEmpty();
    });

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_preview_as_an_insured_client_opens_the_insurance_track_and_as_a_self_pay_client_skips_it_saying_why(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        static object Billing(string value) => new
        {
            match = "All", conditions = new[] { new { taskKey = (string?)null, field = (string?)null, @operator = "Equals", value, attribute = "billing" } },
        };
        var workflowId = await PublishedAsync(people.Provider, new
        {
            name = "Payment",
            stages = new object[]
            {
                new { name = "Screen", tasks = new object[] { new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9" } } },
                new
                {
                    name = "Pay", tasks = Array.Empty<object>(), join = "Any",
                    tracks = new object[]
                    {
                        new
                        {
                            name = "Insurance",
                            tasks = new object[]
                            {
                                new { key = "insurance", kind = "AddInsurance", when = Billing("insurance"), opens = new { date = "firstSession", offsetDays = -7 } },
                            },
                        },
                        new { name = "Self-pay", tasks = new object[] { new { key = "autopay", kind = "EnrollInAutopay", when = Billing("selfPay") } } },
                    },
                },
                new
                {
                    name = "Follow up",
                    tasks = new object[]
                    {
                        new
                        {
                            key = "gad7", kind = "CompleteAssessment", subjectId = "gad7",
                            condition = new { taskKey = "phq9", field = "score", @operator = "AtLeast", value = "10" },
                        },
                    },
                },
            },
        });
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);
        await console.GotoAsync($"/console/workflows/{workflowId}");
        await console.GetByRole(AriaRole.Link, new() { Name = "Preview as a client" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Preview: Payment" })).ToBeVisibleAsync();

        // An insured client, PHQ-9 = 12, first session in 20 days.
        var first = PortalTime.Day(DateTimeOffset.UtcNow, NewYork).AddDays(20);
        await console.GetByLabel("The client pays").SelectOptionAsync(new SelectOptionValue { Label = "With insurance" });
        await console.GetByLabel("The PHQ-9 score").FillAsync("12");
        await console.GetByLabel("First session").FillAsync($"{first:yyyy-MM-dd}T15:00");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        var insuranceTrack = console.GetByRole(AriaRole.List, new() { Name = "Track Insurance at step 2" });
        await Expect(insuranceTrack.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(
            [$"Add your insurance \u2014 opens {PortalTime.Date(first.AddDays(-7))}"]);
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Self-pay at step 2" })).ToHaveCountAsync(0);
        await Expect(console.Locator("p[data-task=autopay]")).ToContainTextAsync("Skipped:");
        await Expect(console.Locator("p[data-task=autopay]")).ToContainTextAsync("Only when client is self-pay");
        await Expect(console.Locator("p[data-task=insurance]")).ToContainTextAsync("Asked:");
        await Expect(console.Locator("p[data-schedule=insurance]")).ToContainTextAsync("Opens 7 days before the first session");
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Tasks the client sees at step 3" }).GetByRole(AriaRole.Listitem))
            .ToHaveTextAsync(["Complete the GAD-7 anxiety questionnaire"]);
        await Expect(console.GetByLabel("The client pays")).ToHaveValueAsync("insurance");
        await CheckPageAsync(console, $"dates-preview-insurance-{width}");

        // The same client paying for themselves: the insurance track asks nothing, the self-pay one asks for autopay.
        await console.GetByLabel("The client pays").SelectOptionAsync(new SelectOptionValue { Label = "Self-pay" });
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Self-pay at step 2" }).GetByRole(AriaRole.Listitem))
            .ToHaveCountAsync(1);
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Insurance at step 2" })).ToHaveCountAsync(0);
        await Expect(console.Locator("p[data-task=insurance]")).ToContainTextAsync("Skipped:");
        await Expect(console.Locator("p[data-task=insurance]")).ToContainTextAsync("Only when client bills insurance");

        // No first-session date: what opens from it waits for it.
        await console.GetByLabel("The client pays").SelectOptionAsync(new SelectOptionValue { Label = "With insurance" });
        await console.GetByLabel("First session").FillAsync("");
        await console.GetByRole(AriaRole.Button, new() { Name = "Show what the client sees" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.List, new() { Name = "Track Insurance at step 2" }).GetByRole(AriaRole.Listitem))
            .ToHaveTextAsync(["Add your insurance \u2014 waiting for the first-session date"]);
        await CheckPageAsync(console, $"dates-preview-self-pay-{width}");
        csp.ShouldBeEmpty();
    });

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_owner_adds_renames_and_removes_the_practice_s_named_dates_and_a_built_in_name_is_refused_beside_the_field(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);
        await console.GotoAsync("/console/workflows");
        await console.GetByRole(AriaRole.Link, new() { Name = "Dates workflows open tasks from" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Name = "Workflow dates" })).ToBeVisibleAsync();
        await Expect(console.Locator("li[data-date=firstSession]")).ToContainTextAsync("Built in");
        await CheckPageAsync(console, $"dates-named-empty-{width}");

        await console.GetByLabel("Date name").FillAsync("Intake call");
        await console.GetByRole(AriaRole.Button, new() { Name = "Add date" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added \u201cIntake call\u201d.");
        await Expect(console.Locator("li[data-date=intakeCall]")).ToContainTextAsync("Intake call");

        // "First session" would be the built-in date again: refused beside the field, as typed.
        await console.GetByLabel("Date name").FillAsync("First session");
        (await PostAsync(console, () => console.GetByRole(AriaRole.Button, new() { Name = "Add date" }).ClickAsync())).ShouldBe(400);
        await Expect(console.GetByLabel("Date name")).ToHaveValueAsync("First session");
        await Expect(console.GetByLabel("Date name")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(console.Locator("#add-date-label-error")).ToContainTextAsync("'firstSession' is built in");
        await CheckPageAsync(console, $"dates-named-refused-{width}");

        await console.GetByLabel("New name for Intake call").FillAsync("Intake phone call");
        await console.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync("Renamed to \u201cIntake phone call\u201d.");
        await Expect(console.Locator("li[data-date=intakeCall] strong")).ToHaveTextAsync("Intake phone call");
        await CheckPageAsync(console, $"dates-named-renamed-{width}");

        await console.GetByRole(AriaRole.Button, new() { Name = "Remove Intake phone call" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync("Removed the date.");
        await Expect(console.Locator("li[data-date=intakeCall]")).ToHaveCountAsync(0);
        csp.ShouldBeEmpty();
    });

    private static ILocator AssignSection(IPage page) =>
        page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Assign version 1 to clients" }) });

    private async Task<Guid> PublishedAsync(IBrowserContext provider, object content)
    {
        var created = await BrowserJourney.SendAsync(provider, "POST", "/api/workflows", content, 201);
        var id = created.GetProperty("id").GetGuid();
        await BrowserJourney.SendAsync(provider, "POST",
            $"/api/workflows/{id}/publish?expectedRevision={created.GetProperty("revision").GetInt32()}", null, 200);
        return id;
    }

    private async Task<Guid?> AssignmentIdAsync(Guid workflowId)
    {
        await using var session = Fixture.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return (await session.Query<IntakeAssignment>().Where(a => a.DefinitionId == workflowId).ToListAsync()).SingleOrDefault()?.Id;
    }

    private static async Task<int> PostAsync(IPage page, Func<Task> press)
    {
        var response = await page.RunAndWaitForResponseAsync(press, r => r.Request.Method == "POST");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }

    /// <summary>Axe finds nothing serious, nothing scrolls sideways, and a screenshot is kept for a person to look at.</summary>
    private static async Task CheckPageAsync(IPage page, string name)
    {
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "dates");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
