using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// The owner opens a client's profile, follows "Manage the care team" and transfers the client to another clinician:
/// the page names the new primary, the previous one is kept on the team as asked, and the new primary is emailed.
/// </summary>
public sealed class CareTeamBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_owner_transfers_a_client_to_another_clinician_on_the_care_team_page() => await Run(async page =>
    {
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var unique = Guid.NewGuid().ToString("N")[..10];
        var ownerEmail = $"owner-{unique}@portal.test";
        var colleagueEmail = $"cole-{unique}@portal.test";
        var supportEmail = $"support-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);

        // Support makes the practice (its owner) and a second clinician; the owner adds a client, whose primary they are.
        var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default, colleague = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Olive Owner", providerEmail = ownerEmail }, 201));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{practice.GetProperty("providerId").GetGuid()}/password",
            new { password = BrowserJourney.Password }, 204);
        await BrowserJourney.TrackedAsync(Fixture, async () => colleague = await BrowserJourney.SendAsync(support, "POST",
            $"/api/support/practices/{practice.GetProperty("practiceId").GetGuid()}/providers",
            new { name = "Cole Colleague", email = colleagueEmail, role = "Clinician" }, 201));
        await support.DisposeAsync();

        await BrowserJourney.SignInOnPageAsync(page, ownerEmail);
        await page.WaitForURLAsync("**/console**");
        JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(page.Context, "POST", "/api/console/clients",
            new { firstName = "Jane", lastName = "Doe", email = $"jane-{unique}@portal.test", dateOfBirth = new DateOnly(1990, 4, 17) }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();

        await page.GotoAsync($"/console/clients/{clientId}");
        var section = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Care team" }) });
        await Assertions.Expect(section).ToContainTextAsync("Primary clinician: Olive Owner");
        await section.GetByRole(AriaRole.Link, new() { Name = "Manage the care team" }).ClickAsync();
        await page.WaitForURLAsync($"**/console/clients/{clientId}/care-team");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Care team of Jane Doe" })).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "before");

        await page.GetByLabel("New primary clinician").SelectOptionAsync(new SelectOptionValue { Label = "Cole Colleague (clinician)" });
        await page.GetByLabel("Keep Olive Owner on the care team").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, () => page.GetByRole(AriaRole.Button, new() { Name = "Transfer client" }).ClickAsync());
        await page.WaitForURLAsync($"**/console/clients/{clientId}/care-team?done=transferred");

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The client has a new primary clinician");
        await Assertions.Expect(page.GetByTestId("primary-clinician")).ToHaveTextAsync("Cole Colleague");
        var members = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Also on the care team" }) });
        await Assertions.Expect(members).ToContainTextAsync("Olive Owner (owner)");
        (await AxeViolationsAsync()).Where(v => v.IsSeriousOrCritical).ShouldBeEmpty();
        await ScreenshotsAsync(page, "after");

        // The new primary is told by email (a durable queue: slow on a loaded machine).
        var told = false;
        for (var wait = 0; wait < 300 && !told; wait++)
        {
            told = Fixture.Mail.To(colleagueEmail).Any(m => m.Subject == "Jane D.: you are now the primary clinician");
            if (!told) await Task.Delay(200);
        }
        told.ShouldBeTrue("the new primary got no email; got: " + string.Join(" | ", Fixture.Mail.To(colleagueEmail).Select(m => m.Subject)));
        colleague.GetProperty("providerId").GetGuid().ShouldNotBe(Guid.Empty);
    });

    [Fact]
    public async Task Front_desk_adds_a_client_for_a_clinician_chosen_from_the_practice_s_clinicians() => await Run(async page =>
    {
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var unique = Guid.NewGuid().ToString("N")[..10];
        var frontDeskEmail = $"desk-{unique}@portal.test";
        var supportEmail = $"support-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default, desk = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Olive Owner", providerEmail = $"owner-{unique}@portal.test" }, 201));
        var practiceId = practice.GetProperty("practiceId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(support, "POST", $"/api/support/practices/{practiceId}/providers",
            new { name = "Cole Colleague", email = $"cole-{unique}@portal.test", role = "Clinician" }, 201));
        await BrowserJourney.TrackedAsync(Fixture, async () => desk = await BrowserJourney.SendAsync(support, "POST",
            $"/api/support/practices/{practiceId}/providers", new { name = "Frankie Frontdesk", email = frontDeskEmail, role = "FrontDesk" }, 201));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{desk.GetProperty("providerId").GetGuid()}/password",
            new { password = BrowserJourney.Password }, 204);
        await support.DisposeAsync();

        await BrowserJourney.SignInOnPageAsync(page, frontDeskEmail);
        await page.WaitForURLAsync("**/console**");

        await page.GotoAsync("/console/clients/new");
        var clinician = page.GetByLabel("Primary clinician");
        // Owners and clinicians only: front desk (the caller) is no choice.
        (await clinician.Locator("option").AllInnerTextsAsync())
            .ShouldBe(["Choose a clinician", "Cole Colleague (clinician)", "Olive Owner (owner)"]);
        await page.GetByLabel("First name").FillAsync("Sam");
        await page.GetByLabel("Last name").FillAsync("Lee");
        await page.Locator("#Email").FillAsync($"sam-{unique}@portal.test"); // the guardian has an "Email" too
        await page.GetByLabel("Date of birth").FillAsync("2001-02-03");
        await clinician.SelectOptionAsync(new SelectOptionValue { Label = "Cole Colleague (clinician)" });
        await ScreenshotsAsync(page, "new-client");
        await BrowserJourney.TrackedAsync(Fixture, () => page.GetByRole(AriaRole.Button, new() { Name = "Add client" }).ClickAsync());
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/console/clients/[0-9a-f-]{36}$"));

        var section = page.Locator("section").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Care team" }) });
        await Assertions.Expect(section).ToContainTextAsync("Primary clinician: Cole Colleague");
        await Assertions.Expect(section.GetByRole(AriaRole.Link, new() { Name = "See the care team" })).ToBeVisibleAsync();
    });

    /// <summary>The page at a laptop's and a phone's size, for a person to look at (TestResults/screenshots).</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(folder, $"{nameof(CareTeamBrowserTests)}.{name}.{width}x{height}.png"), FullPage = true,
            });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
