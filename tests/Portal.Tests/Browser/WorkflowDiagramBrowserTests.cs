using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The builder page shows the version's diagram (#30 item 6): a starter copied through the API, drawn by the server
/// as an image the browser loads under the portal's CSP, readable at desktop and phone width.
/// </summary>
public sealed class WorkflowDiagramBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_builder_page_shows_the_diagram_of_a_copied_starter(int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var copy = await BrowserJourney.SendAsync(people.Provider, "POST", "/api/workflows/starters/adult-individual/copy", null, 201);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        var csp = BrowserJourney.WatchCsp(console);

        await console.GotoAsync($"/console/workflows/{copy.GetProperty("id").GetGuid()}");
        var diagram = console.GetByRole(AriaRole.Img, new() { Name = "Diagram of version 1: its stages from left to right, as listed below." });
        await Expect(diagram).ToBeVisibleAsync();
        await Expect(diagram).ToHaveJSPropertyAsync("complete", true);
        (await diagram.EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(600, "the four stages are drawn side by side");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await SaveScreenshotAsync(console, $"builder-diagram-{width}");

        await console.GotoAsync("/console/workflows");
        await Expect(console.GetByRole(AriaRole.Link, new() { Name = "Adult individual intake" })).ToBeVisibleAsync();
        csp.ShouldBeEmpty();
    });

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"s39-{name}.png"), FullPage = true });
    }
}
