using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The headers of the console, the client portal and support on a phone: the links fold into a "Menu" disclosure
/// (details/summary, so it opens with the keyboard and without script) instead of wrapping line after line; on a
/// desktop the links show in the header as before.
/// </summary>
public sealed class HeaderMenuBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Console_portal_and_support_headers_fold_their_links_into_a_menu_on_a_phone_and_show_them_on_a_desktop(
        int width, int height) => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(width, height);
        await console.GotoAsync("/console");
        await HeaderAsync(console, "Practice console", "Workflows", "/console/workflows", width, "console");

        var portal = await people.Client.NewPageAsync();
        await portal.SetViewportSizeAsync(width, height);
        await portal.GotoAsync("/portal");
        await HeaderAsync(portal, "Client portal", "My tasks", "/portal/tasks", width, "portal");

        var email = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var supportContext = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(supportContext, "POST", "/api/account/sign-in", new { email, password = BrowserJourney.Password }, 200);
        var support = await supportContext.NewPageAsync();
        await support.SetViewportSizeAsync(width, height);
        await support.GotoAsync("/support");
        await HeaderAsync(support, "Support", "Practices", "/support/practices", width, "support");
    });

    [Fact]
    public async Task The_phone_menu_opens_without_script() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        await using var noScript = await BrowserJourney.SameSessionAsync(Fixture, people.Provider, javaScript: false);
        var page = await noScript.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/console");
        var link = Link(page, "Practice console", "Workflows");
        await Expect(link).ToBeHiddenAsync();
        await Menu(page).ClickAsync();
        await Expect(link).ToBeVisibleAsync();
        await link.ClickAsync();
        await page.WaitForURLAsync("**/console/workflows");
    });

    [Theory]
    [InlineData("/signin")]
    [InlineData("/forgot-password")]
    public async Task A_signed_out_page_on_a_phone_shows_no_empty_menu(string url) => await Run(async page =>
    {
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(url);
        var header = page.GetByRole(AriaRole.Banner);
        await Expect(header.GetByRole(AriaRole.Link).First).ToBeVisibleAsync();

        // A signed-out visitor has no area links to fold away: no "Menu" button that opens onto nothing, and no
        // empty navigation landmark; the brand and the language switch stay.
        await Expect(header.Locator("details.nav-menu")).ToHaveCountAsync(0);
        await Expect(header.GetByText("Menu", new() { Exact = true })).ToHaveCountAsync(0);
        await Expect(header.Locator("nav").Filter(new() { HasNot = page.Locator("a, [aria-current]") })).ToHaveCountAsync(0);
        await Expect(header.GetByRole(AriaRole.Navigation, new() { Name = "Language" })).ToBeVisibleAsync();
        (await header.BoundingBoxAsync())!.Height.ShouldBeLessThan(140);
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await ScreenshotAsync(page, $"signed-out-{url.Trim('/')}-390");
    });

    private static async Task HeaderAsync(IPage page, string navigation, string linkName, string href, int width, string name)
    {
        var menu = Menu(page);
        var link = Link(page, navigation, linkName);
        var header = page.GetByRole(AriaRole.Banner);
        if (width >= 1024)
        {
            await Expect(menu).ToBeHiddenAsync();
            await Expect(link).ToBeVisibleAsync();
            await ScreenshotAsync(page, $"{name}-header-{width}");
            return;
        }

        // Closed: the brand, the Menu button and sign-out, in a couple of lines rather than a column of links.
        await Expect(menu).ToBeVisibleAsync();
        await Expect(menu).ToHaveTextAsync("Menu");
        await Expect(link).ToBeHiddenAsync();
        var closed = await header.BoundingBoxAsync();
        closed!.Height.ShouldBeLessThan(140);
        await ScreenshotAsync(page, $"{name}-header-{width}-closed");

        // Opened with the keyboard: the links show under the header, over the page, and lead where they say.
        await menu.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(link).ToBeVisibleAsync();
        await Expect(page.Locator("details.nav-menu")).ToHaveAttributeAsync("open", "");
        (await header.BoundingBoxAsync())!.Height.ShouldBe(closed.Height, 1);
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        await ScreenshotAsync(page, $"{name}-header-{width}-open");
        await page.Keyboard.PressAsync("Enter");
        await Expect(link).ToBeHiddenAsync();
        await menu.ClickAsync();
        await link.ClickAsync();
        await page.WaitForURLAsync($"**{href}");
    }

    private static ILocator Menu(IPage page) => page.GetByRole(AriaRole.Banner).Locator("details.nav-menu > summary");

    private static ILocator Link(IPage page, string navigation, string name) =>
        page.Locator($"header nav[aria-label=\"{navigation}\"] a")
            .Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(name)}\\s*$") });

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "header");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png") });
    }
}
