using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// A discharged client gets no new work: the provider had the request form open when the client was discharged (from
/// another tab); sending it says why nothing was requested, and the page then offers no form until the record is
/// re-opened.
/// </summary>
public sealed class DischargedRequestBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_request_form_sent_after_the_discharge_says_so_and_creates_nothing() => await Run(async _ =>
    {
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Marisol", "Thistlewood");
        var page = await pair.Provider.NewPageAsync();
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var requests = $"/console/clients/{pair.ClientId}/requests";
        await page.GotoAsync(requests);
        await page.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync("AddInsurance");

        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(pair.Provider, "POST",
            $"/api/console/clients/{pair.ClientId}/discharge", new { reason = "Client moved away" }, 200));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("Not requested:");
        await Assertions.Expect(alert).ToContainTextAsync(
            $"Marisol Thistlewood was discharged on {DateTime.UtcNow:d MMM yyyy}; re-open the record first.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send request" })).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "refused");
        var assignments = await BrowserJourney.SendAsync(pair.Provider, "GET", $"/api/clients/{pair.ClientId}/assignments", null, 200);
        assignments.GetArrayLength().ShouldBe(0, "nothing was requested");

        await page.GotoAsync(requests);
        await Assertions.Expect(page.Locator("[data-discharged]")).ToContainTextAsync("re-open the record first");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send request" })).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "discharged");
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
                Path = Path.Combine(folder, $"{nameof(DischargedRequestBrowserTests)}.{name}.{width}x{height}.png"), FullPage = true,
            });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
