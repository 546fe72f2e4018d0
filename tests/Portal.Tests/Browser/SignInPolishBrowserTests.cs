using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// The sign-in pages as the first-hour walk found them: a refusal reads like every other error of the portal, the code
/// prompt keeps the password typed a moment ago, and setting up an authenticator app keeps its key after a wrong code
/// and, on a phone, offers the otpauth:// link (a phone cannot scan its own screen).
/// </summary>
public sealed class SignInPolishBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_refused_sign_in_reads_as_an_error_and_the_code_prompt_keeps_the_typed_password(int width, int height) =>
        await Run(async page =>
        {
            await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
            await page.SetViewportSizeAsync(width, height);

            await page.GotoAsync("/signin");
            await page.GetByLabel("Email").FillAsync(pair.ProviderEmail);
            await page.GetByLabel("Password").FillAsync("Not-The-Password-1234");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            var refusal = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "don't match" });
            await Assertions.Expect(refusal).ToBeVisibleAsync();
            // The same look as the other pages' errors: the warning notice, its coloured bar and padding.
            (await refusal.GetAttributeAsync("class"))!.Split(' ').ShouldBe(["notice", "warning"], ignoreOrder: true);
            (await refusal.EvaluateAsync<string>("e => getComputedStyle(e).borderLeftStyle")).ShouldBe("solid");
            (await refusal.EvaluateAsync<string>("e => getComputedStyle(e).paddingLeft")).ShouldNotBe("0px");
            await Shot(page, $"refused-{width}");

            await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            var code = page.GetByLabel("Authenticator code or recovery code");
            await Assertions.Expect(code).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("Password")).ToHaveValueAsync(BrowserJourney.Password);
            await Shot(page, $"code-prompt-{width}");

            // Only the code is typed: the password kept from the first step signs in.
            await code.FillAsync((await SecondFactors.CodeAsync(Fixture.Services, pair.ProviderEmail))!);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/console"));
        });

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Authenticator_setup_keeps_its_key_after_a_wrong_code_and_offers_the_otpauth_link_on_a_phone(int width, int height) =>
        await Run(async page =>
        {
            var email = await BrowserJourney.NewClinicianWithoutFactorAsync(Fixture);
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/signin");
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/account/second-factor");
            await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
            var secret = (await page.Locator("[data-totp-secret]").TextContentAsync())!.Trim();

            var link = page.GetByRole(AriaRole.Link, new() { Name = "On this phone? Add it to your authenticator app" });
            if (width < 600)
            {
                await Assertions.Expect(link).ToBeVisibleAsync();
                (await link.GetAttributeAsync("href"))!.ShouldStartWith("otpauth://totp/");
                (await link.GetAttributeAsync("href"))!.ShouldContain($"secret={secret}");
            }
            else await Assertions.Expect(link).ToBeHiddenAsync();

            var wrong = SecondFactors.CodeAt(secret, DateTimeOffset.UtcNow) == "000000" ? "111111" : "000000";
            await page.GetByLabel("Code from the app").FillAsync(wrong);
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            var refusal = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not right" });
            await Assertions.Expect(refusal).ToBeVisibleAsync();
            (await refusal.GetAttributeAsync("class"))!.Split(' ').ShouldContain("warning");
            // The same key and QR code again: the app that already has it gives the next code.
            await Assertions.Expect(page.Locator("[data-totp-secret]")).ToHaveTextAsync(secret);
            await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code for your authenticator app" })).ToBeVisibleAsync();
            if (width < 600) await Assertions.Expect(link).ToBeVisibleAsync();
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
            (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
            await Shot(page, $"wrong-code-{width}");

            await page.GetByLabel("Code from the app").FillAsync(SecondFactors.EnrolmentCode(Fixture.Services, secret));
            await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-recovery-codes] code")).ToHaveCountAsync(10);
        });

    private static async Task Shot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots", "sign-in");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
