using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// A new clinician's first sign-in in the browser: the password alone leads to "Set up a second factor", not the
/// console; the console itself sends them back there; they set up an authenticator app from the key on the page, see
/// their ten recovery codes once, and land on the console.
/// </summary>
public sealed class SecondFactorBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_new_clinician_is_sent_to_enrol_sets_up_an_authenticator_sees_recovery_codes_and_lands_on_the_console(
        int width, int height) => await Run(async page =>
    {
        var clinicianEmail = await BrowserJourney.NewClinicianWithoutFactorAsync(Fixture);
        await page.SetViewportSizeAsync(width, height);

        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(clinicianEmail);
        await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/account/second-factor?returnUrl=%2Fconsole");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Set up a second factor" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("until then no client information opens");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Use a passkey instead" }))
            .ToHaveAttributeAsync("href", "/account/passkeys?returnUrl=%2Fconsole");
        await Shot(page, $"enrol-{width}");

        // The console is not reachable around it.
        await page.GotoAsync("/console/clients");
        await page.WaitForURLAsync("**/account/second-factor?returnUrl=%2Fconsole%2Fclients");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
        var secret = (await page.Locator("[data-totp-secret]").TextContentAsync())!.Trim();
        await Shot(page, $"scan-{width}");
        await page.GetByLabel("Code from the app").FillAsync(SecondFactors.CodeAt(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();

        var codes = page.Locator("[data-recovery-codes] code");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        (await codes.AllTextContentsAsync()).ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^[A-Z2-9]{5}-[A-Z2-9]{5}$"));
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("They are shown only now.");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await Shot(page, $"codes-{width}");

        await page.GetByRole(AriaRole.Link, new() { Name = "I saved them, continue" }).ClickAsync();
        await page.WaitForURLAsync("**/console/clients");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        new Uri(page.Url).AbsolutePath.ShouldBe("/console/clients");
        await Shot(page, $"console-{width}");

        // The codes were shown once: the page now tells what the account signs in with, not the codes.
        await page.GotoAsync("/account/second-factor");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Recovery codes left: 10");
        (await page.Locator("[data-recovery-codes]").CountAsync()).ShouldBe(0);
    });

    private static async Task Shot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "second-factor");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
