using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// The owner finds the clients' sign-in rule from the practice settings and requires a second factor; a client who has
/// none is then taken to set one up at their next sign-in, before their portal opens.
/// </summary>
public sealed class ClientSignInRuleBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task The_owner_requires_a_second_factor_for_clients_and_a_client_without_one_is_taken_to_enrol_at_next_sign_in(
        int width, int height) => await Run(async page =>
    {
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var owner = await pair.Provider.NewPageAsync();
        await owner.SetViewportSizeAsync(width, height);

        await owner.GotoAsync("/console/practice/settings");
        await owner.GetByRole(AriaRole.Link, new() { Name = "Choose whether clients need a second factor" }).ClickAsync();
        await owner.WaitForURLAsync("**/console/practice/client-sign-in");
        await Assertions.Expect(owner.GetByRole(AriaRole.Heading, new() { Name = "Client sign-in", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(owner.GetByLabel("Optional")).ToBeCheckedAsync();
        await owner.GetByLabel("Required").CheckAsync();
        await owner.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("clients now need a second factor");
        await Assertions.Expect(owner.GetByLabel("Required")).ToBeCheckedAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(owner)).ShouldBeEmpty();
        (await owner.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        await Shot(owner, $"owner-rule-{width}");

        // The client signs in as before: their portal waits until they set up a second factor.
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(pair.ClientEmail);
        await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/second-factor");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up a second factor" })).ToBeVisibleAsync();
        await Shot(page, $"client-enrol-{width}");
        await page.GotoAsync("/portal");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/second-factor");

        await BrowserJourney.EnrolOnPageAsync(page, pair.ClientEmail);
        new Uri(page.Url).AbsolutePath.ShouldBe("/portal");
    });

    private static async Task Shot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "client-sign-in");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
