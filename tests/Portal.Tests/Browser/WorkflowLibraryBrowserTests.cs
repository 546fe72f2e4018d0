using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The workflows page (#30 item 6) at desktop and phone width: the owner copies a starter (landing on its builder) and
/// shares a published workflow with the practice; a clinician of the practice finds it in the practice library, cannot
/// share it, copies it as a draft of their own; once the owner takes it back, the clinician's library is empty.
/// </summary>
public sealed class WorkflowLibraryBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_owner_copies_a_starter_and_shares_a_workflow_and_a_clinician_copies_it_from_the_practice_library(
        int width, int height) => await Run(async _ =>
    {
        var (ownerEmail, clinicianEmail) = await PracticeWithClinicianAsync();
        await using var owner = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(owner, "POST", "/api/account/sign-in", new { email = ownerEmail, password = BrowserJourney.Password }, 200);
        var workflow = await BrowserJourney.SendAsync(owner, "POST", "/api/workflows", new
        {
            name = "Shared screening",
            stages = new object[] { new { name = "Screening", tasks = new object[] { new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9" } } } },
        }, 201);
        var workflowId = workflow.GetProperty("id").GetGuid();
        await BrowserJourney.SendAsync(owner, "POST",
            $"/api/workflows/{workflowId}/publish?expectedRevision={workflow.GetProperty("revision").GetInt32()}", null, 200);

        var page = await owner.NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(page);
        await page.GotoAsync("/console/workflows");
        var starters = Section(page, "Start from a starter");
        await Expect(starters.GetByRole(AriaRole.Heading, new() { Name = "Adult individual intake" })).ToBeVisibleAsync();
        await Expect(starters.GetByRole(AriaRole.Heading, new() { Name = "Minor with guardian intake" })).ToBeVisibleAsync();
        await Expect(starters.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);
        await CheckPageAsync(page, $"library-owner-{width}");

        // A starter's copy is a draft of the owner's, opened in the builder.
        await Item(starters, "Adult individual intake").GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Adult individual intake");

        // Shared with the practice.
        await page.GotoAsync("/console/workflows");
        var own = Section(page, "Your workflows");
        await Expect(Item(own, "Adult individual intake")).ToContainTextAsync("Version 1: Draft");
        await Expect(Item(own, "Adult individual intake").GetByRole(AriaRole.Button, new() { Name = "Share with the practice" }))
            .ToHaveCountAsync(0);
        await Item(own, "Shared screening").GetByRole(AriaRole.Button, new() { Name = "Share with the practice" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("\u201cShared screening\u201d is in the practice library");
        await Expect(Item(own, "Shared screening")).ToContainTextAsync("In the practice library");
        await Expect(Item(own, "Shared screening").GetByRole(AriaRole.Button, new() { Name = "Remove from the library" })).ToBeVisibleAsync();
        await CheckPageAsync(page, $"library-shared-{width}");

        // The clinician sees it in the library, may copy it, may not share it.
        await using var clinician = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(clinician, "POST", "/api/account/sign-in",
            new { email = clinicianEmail, password = BrowserJourney.Password }, 200);
        var theirs = await clinician.NewPageAsync();
        await theirs.SetViewportSizeAsync(width, height);
        await theirs.GotoAsync("/console/workflows");
        var library = Section(theirs, "Practice library");
        var shared = Item(library, "Shared screening");
        await Expect(shared).ToBeVisibleAsync();
        await Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Share with the practice" })).ToHaveCountAsync(0);
        await Expect(theirs.GetByRole(AriaRole.Button, new() { Name = "Remove from the library" })).ToHaveCountAsync(0);
        await Expect(Section(theirs, "Your workflows")).ToContainTextAsync("No workflows of your own yet");
        await CheckPageAsync(theirs, $"library-clinician-{width}");
        await shared.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Expect(theirs).ToHaveURLAsync(new Regex("/console/workflows/[0-9a-f-]{36}$"));
        await Expect(theirs.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Shared screening (copy)");
        await theirs.GotoAsync("/console/workflows");
        await Expect(Item(Section(theirs, "Your workflows"), "Shared screening (copy)")).ToContainTextAsync("Version 1: Draft");

        // The owner takes it back: the clinician's library is empty, their copy stays.
        await page.GotoAsync("/console/workflows");
        await Item(Section(page, "Your workflows"), "Shared screening").GetByRole(AriaRole.Button, new() { Name = "Remove from the library" })
            .ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is out of the practice library");
        await theirs.GotoAsync("/console/workflows");
        await Expect(Section(theirs, "Practice library")).ToContainTextAsync("Nothing in the library yet.");
        await Expect(Item(Section(theirs, "Your workflows"), "Shared screening (copy)")).ToBeVisibleAsync();

        csp.ShouldBeEmpty();
    });

    private static ILocator Section(IPage page, string heading) =>
        page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 2 }) });

    private static ILocator Item(ILocator list, string name) =>
        list.Locator("li", new() { Has = list.Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true, Level = 3 }) });

    /// <summary>Support makes a practice (its owner) and a clinician of it, both with a password and portal access.</summary>
    private async Task<(string Owner, string Clinician)> PracticeWithClinicianAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var ownerEmail = $"owner-{unique}@portal.test";
        var clinicianEmail = $"clinician-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default, clinician = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Olive Owner", providerEmail = ownerEmail }, 201));
        await BrowserJourney.TrackedAsync(Fixture, async () => clinician = await BrowserJourney.SendAsync(support, "POST",
            $"/api/support/practices/{practice.GetProperty("practiceId").GetGuid()}/providers",
            new { name = "Chris Clinician", email = clinicianEmail, role = "Clinician" }, 201));
        foreach (var memberId in new[] { practice.GetProperty("providerId").GetGuid(), clinician.GetProperty("providerId").GetGuid() })
        {
            await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(support, "PUT",
                $"/api/support/providers/{memberId}/portal-access", new { enabled = true }, 200));
            await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{memberId}/password",
                new { password = BrowserJourney.Password }, 204);
        }
        return (ownerEmail, clinicianEmail);
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
