using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The migration page (#30 item 5) as a provider uses it, at desktop and phone width: from the workflows page to the
/// clients still on version 1, "Check what changes" in words per client, then the move; an assignment that changed
/// after the check is not moved and says why, and the done task of the one moved stays done.
/// </summary>
public sealed class WorkflowMigrationBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_provider_checks_what_changes_per_client_then_moves_them_and_a_changed_one_is_refused_with_the_reason(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Casey", "Client");
        var owner = people.Provider;
        var unique = Guid.NewGuid().ToString("N")[..8];
        JsonElement second = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => second = await BrowserJourney.SendAsync(owner, "POST", "/api/console/clients",
            new { firstName = "Jordan", lastName = "Second", email = $"jordan-{unique}@portal.test", dateOfBirth = new DateOnly(1988, 2, 3) }, 201));
        var secondId = second.GetProperty("clientId").GetGuid();

        // Version 1: a PHQ-9 and insurance; both clients assigned; Casey answers the PHQ-9.
        var workflow = await BrowserJourney.SendAsync(owner, "POST", "/api/workflows", new
        {
            name = "Adult intake",
            stages = new object[]
            {
                new { name = "Paperwork", tasks = new object[]
                {
                    new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", title = "PHQ-9 check-in" },
                    new { key = "insurance", kind = "AddInsurance", title = "Add your insurance card" },
                } },
            },
        }, 201);
        var workflowId = workflow.GetProperty("id").GetGuid();
        await PublishAsync(owner, workflowId);
        JsonElement assigned = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => assigned = await BrowserJourney.SendAsync(owner, "POST",
            $"/api/workflows/{workflowId}/assignments", new { clientIds = new[] { people.ClientId, secondId } }, 200));
        var assignmentOf = assigned.GetProperty("assignments").EnumerateArray()
            .ToDictionary(a => a.GetProperty("clientId").GetGuid(), a => a.GetProperty("assignmentId").GetGuid());
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(people.Client, "POST", "/api/portal/assessments/phq9",
            new { answers = new[] { 1, 1, 0, 1, 0, 0, 1, 0, 0 } }, 201));

        // Version 2: insurance is gone, autopay is new, the PHQ-9 stays.
        var current = await BrowserJourney.SendAsync(owner, "GET", $"/api/workflows/{workflowId}", null, 200);
        await BrowserJourney.SendAsync(owner, "PUT",
            $"/api/workflows/{workflowId}/draft?expectedRevision={current.GetProperty("revision").GetInt32()}", new
            {
                name = "Adult intake",
                stages = new object[]
                {
                    new { name = "Paperwork", tasks = new object[]
                    {
                        new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", title = "PHQ-9 check-in" },
                        new { key = "autopay", kind = "EnrollInAutopay", title = "Set up autopay" },
                    } },
                },
            }, 200);
        await PublishAsync(owner, workflowId);

        var console = await owner.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);
        await console.GotoAsync("/console/workflows");
        var card = console.Locator("li", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Adult intake" }) });
        await Expect(card).ToContainTextAsync("2 running assignments are on a version older than version 2");
        await card.GetByRole(AriaRole.Link, new() { Name = "Move running assignments" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex($"/console/workflows/{workflowId}/migrate$"));

        var casey = console.GetByLabel("Casey Client");
        var jordan = console.GetByLabel("Jordan Second");
        await Expect(console.Locator("main")).ToContainTextAsync("version 1, Stage 1: Paperwork");
        await Expect(casey).Not.ToBeCheckedAsync();
        await CheckPageAsync(console, $"migrate-list-{width}");

        // Nothing chosen: refused beside the clients, nothing checked.
        await console.GetByRole(AriaRole.Button, new() { Name = "Check what changes" }).ClickAsync();
        var clients = console.GetByRole(AriaRole.Group, new() { Name = "Clients to move to version 2" });
        await Expect(clients).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(console.Locator("#clients-error")).ToHaveTextAsync("Choose at least one client to check.");

        await console.GetByRole(AriaRole.Button, new() { Name = "Select all" }).ClickAsync();
        await Expect(casey).ToBeCheckedAsync();
        await Expect(jordan).ToBeCheckedAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Check what changes" }).ClickAsync();

        var changes = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "What changes in version 2" }) });
        var caseyChanges = changes.Locator("li", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Casey Client" }) });
        await Expect(caseyChanges).ToContainTextAsync("Stays done PHQ-9 check-in");
        await Expect(caseyChanges).ToContainTextAsync("Opens now Set up autopay");
        await Expect(caseyChanges).ToContainTextAsync("Dropped (not in version 2) Add your insurance card");
        var jordanChanges = changes.Locator("li", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Jordan Second" }) });
        await Expect(jordanChanges).ToContainTextAsync("Stays done Nothing done yet");
        await Expect(jordanChanges).ToContainTextAsync("Stays open PHQ-9 check-in");
        await CheckPageAsync(console, $"migrate-check-{width}");

        // Jordan's assignment changes after the check (a task sent again): the move leaves it and says why.
        var jordanAssignment = await BrowserJourney.SendAsync(owner, "GET", $"/api/assignments/{assignmentOf[secondId]}", null, 200);
        var phq9Task = jordanAssignment.GetProperty("assignment").GetProperty("tasks").EnumerateArray().First(t => t.GetProperty("key").GetString() == "phq9");
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(owner, "POST",
            $"/api/assignments/{assignmentOf[secondId]}/tasks/{phq9Task.GetProperty("taskId").GetGuid()}/resend",
            new { reason = "Asked by phone" }, 200));

        await BrowserJourney.TrackedAsync(Fixture,
            () => console.GetByRole(AriaRole.Button, new() { Name = "Move 2 assignments to version 2" }).ClickAsync());
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Moved 1 assignment to version 2. 1 not moved (below).");
        var notMoved = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Not moved" }) });
        await Expect(notMoved).ToContainTextAsync("Jordan Second");
        await Expect(notMoved).ToContainTextAsync("The assignment changed after you checked");
        // Only Jordan is still on version 1.
        await Expect(console.GetByLabel("Jordan Second")).ToBeVisibleAsync();
        await Expect(console.GetByLabel("Casey Client")).ToHaveCountAsync(0);
        await CheckPageAsync(console, $"migrate-moved-{width}");

        // Casey's assignment runs version 2; the PHQ-9 answered before stays done, autopay is asked.
        await console.GotoAsync($"/console/assignments/{assignmentOf[people.ClientId]}");
        await Expect(console.Locator("main")).ToContainTextAsync("version 2");
        await Expect(console.Locator("main")).ToContainTextAsync("Moved from version 1 to 2 by Pat Provider");
        await Expect(console.Locator("li", new() { Has = console.GetByText("PHQ-9 check-in", new() { Exact = true }) }))
            .ToContainTextAsync("Completed");
        await Expect(console.Locator("li", new() { Has = console.GetByText("Set up autopay", new() { Exact = true }) }))
            .ToContainTextAsync("Open");
        csp.ShouldBeEmpty();
    });

    private static async Task PublishAsync(IBrowserContext owner, Guid workflowId)
    {
        var current = await BrowserJourney.SendAsync(owner, "GET", $"/api/workflows/{workflowId}", null, 200);
        await BrowserJourney.SendAsync(owner, "POST",
            $"/api/workflows/{workflowId}/publish?expectedRevision={current.GetProperty("revision").GetInt32()}", null, 200);
    }

    private static async Task CheckPageAsync(IPage page, string name)
    {
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "workflows");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
