using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// Every refusal is a page a person can read: a record of another practice is "not found" in the caller's own
/// layout, a page of another role is "not allowed", each with the way back to the caller's home; and the
/// access-denied address is a real page. Screenshots of each at desktop and phone size.
/// </summary>
public sealed class RefusalPagesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Another_practice_s_client_is_a_not_found_page_in_the_console_with_the_way_back() => await Run(async _ =>
    {
        await using var practiceA = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Ada", "Foreign");
        await using var practiceB = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var page = await practiceB.Provider.NewPageAsync();

        var response = await page.GotoAsync($"/console/clients/{practiceA.ClientId}");
        response!.Status.ShouldBe(404);
        (await page.Locator("body").GetAttributeAsync("class")).ShouldBe("area-console");
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).ShouldBe("Page not found");
        (await page.Locator("main").InnerTextAsync()).ShouldNotContain("Foreign");
        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        await ScreenshotsAsync(page, "not-found-console");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Back to your dashboard" }).ClickAsync();
        await page.WaitForURLAsync("**/console");
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).ShouldNotBe("Page not found");
    });

    [Fact]
    public async Task A_client_opening_a_console_page_sees_a_not_allowed_page_in_the_portal() => await Run(async _ =>
    {
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var page = await pair.Client.NewPageAsync();

        var response = await page.GotoAsync($"/console/clients/{pair.ClientId}");
        response!.Status.ShouldBe(403);
        (await page.Locator("body").GetAttributeAsync("class")).ShouldBe("area-client");
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).ShouldBe("You are not allowed to open this page");
        await ScreenshotsAsync(page, "not-allowed-portal");

        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Back to your portal home" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
    });

    [Fact]
    public async Task The_access_denied_address_is_a_real_page() => await Run(async page =>
    {
        var response = await page.GotoAsync("/forbidden");
        response!.Status.ShouldBe(403);
        (await page.Locator("body").GetAttributeAsync("class")).ShouldBe("area-public");
        (await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).ShouldBe("You are not allowed to open this page");
        (await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "Sign in" }).GetAttributeAsync("href")).ShouldBe("/signin");
        (await AxeViolationsAsync()).Where(v => v.IsSeriousOrCritical).ShouldBeEmpty();
        await ScreenshotsAsync(page, "forbidden-public");
    });

    /// <summary>The page at desktop and phone size, under TestResults/screenshots, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(folder, $"RefusalPagesBrowserTests.{name}-{width}.png"), FullPage = true,
            });
        }
    }
}
