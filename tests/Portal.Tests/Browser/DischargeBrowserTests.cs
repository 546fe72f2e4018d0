using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// The provider discharges a client from their profile with a reason, sees why on the profile, the client's portal
/// closes (sign-in says so after the right password), and the provider re-opens them: a new invitation is needed.
/// </summary>
public sealed class DischargeBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_provider_discharges_with_a_reason_sees_it_on_the_profile_and_reopens() => await Run(async _ =>
    {
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Marisol", "Thistlewood");
        var page = await pair.Provider.NewPageAsync();
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var profile = $"/console/clients/{pair.ClientId}";
        await page.GotoAsync(profile);
        var main = page.Locator("main");
        await Assertions.Expect(main).ToContainTextAsync("In care.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Discharge client" }).ClickAsync();
        await page.WaitForURLAsync($"**{profile}/discharge");
        // Neither a reason nor details: the page says what is missing and discharges nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Discharge client" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose a reason or write your own.");
        await page.GetByLabel("Client moved away").CheckAsync();
        await page.GetByLabel("Details").FillAsync("Moving to Lisbon in January");
        await ScreenshotsAsync(page, "form");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Discharge client" }).ClickAsync();
            await page.WaitForURLAsync($"**{profile}");
        });
        // The access section reads the accounts module's copy, which the discharge message reaches after the redirect.
        await page.ReloadAsync();

        var discharge = page.Locator("[data-discharge]");
        await Assertions.Expect(discharge).ToContainTextAsync("by Pat Provider: Client moved away: Moving to Lisbon in January");
        await Assertions.Expect(discharge).ToContainTextAsync(
            $"Discharged on {Portal.BuildingBlocks.Time.PortalTime.Date(DateTimeOffset.UtcNow, Portal.BuildingBlocks.Time.PortalTime.DefaultZone)}");
        await Assertions.Expect(main).ToContainTextAsync("Closed (discharged)");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Export record (ZIP)" })).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "discharged");

        // The client's session ended; signing in with the right password tells them plainly.
        var client = await pair.Client.NewPageAsync();
        await client.GotoAsync("/portal");
        await client.WaitForURLAsync("**/signin**");
        await client.GetByLabel("Email").FillAsync(pair.ClientEmail);
        await client.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await client.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(client.Locator("main")).ToContainTextAsync("Your access to this portal has been closed by your practice.");

        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Re-open client" }).ClickAsync();
            await page.WaitForURLAsync($"**{profile}");
        });
        await page.ReloadAsync();
        await Assertions.Expect(main).ToContainTextAsync("Re-opened on");
        await Assertions.Expect(main).ToContainTextAsync("Closed, needs a new invitation");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send a new invitation" })).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "reopened");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await pair.DisposeAsync();
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
                Path = Path.Combine(folder, $"{nameof(DischargeBrowserTests)}.{name}.{width}x{height}.png"), FullPage = true,
            });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
