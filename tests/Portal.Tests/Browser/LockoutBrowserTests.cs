using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// A lockout with a way back, as the owner lives it: five wrong passwords lock the account, the page says until when
/// in the browser's own time zone, "Forgot your password?" emails a link, the new password unlocks the account, the
/// sign-in page says so, and the new password signs in.
/// </summary>
public sealed partial class LockoutBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string NewPassword = "Copper-Valley-Window-58";

    [Fact]
    public async Task Five_wrong_passwords_lock_with_a_time_and_a_reset_from_the_email_unlocks_and_signs_in() => await Run(async _ =>
    {
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        await pair.DisposeAsync();
        await using var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.BaseAddress.ToString(),
            TimezoneId = "Europe/Berlin",
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/signin");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GetByLabel("Email").FillAsync(pair.ClientEmail);
            await page.GetByLabel("Password").FillAsync("not-my-password-at-all");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.GetByRole(AriaRole.Alert).WaitForAsync();
        }
        var locked = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        LockedUntil().IsMatch(locked).ShouldBeTrue(locked);
        var shown = LockedUntil().Match(locked);
        var berlin = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(15), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var shownAt = TimeOnly.Parse(shown.Groups["time"].Value, System.Globalization.CultureInfo.GetCultureInfo("en-US"));
        Math.Abs((shownAt.ToTimeSpan() - TimeOnly.FromDateTime(berlin.DateTime).ToTimeSpan()).TotalMinutes % (24 * 60)).ShouldBeLessThan(2.5);
        await ScreenshotsAsync(page, "locked");

        // The right password is refused too while the lock runs.
        await page.GetByLabel("Email").FillAsync(pair.ClientEmail);
        await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        LockedUntil().IsMatch(await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBeTrue();
        page.Url.ShouldEndWith("/signin");

        Fixture.Mail.Clear();
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await page.GetByLabel("Your email").FillAsync(pair.ClientEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a reset link" }).ClickAsync();
        var email = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == pair.ClientEmail));
        var link = new Uri(MailCapture.LinkIn(email)!);
        link.AbsolutePath.ShouldBe("/reset-password");

        await page.GotoAsync(link.PathAndQuery);
        await page.GetByLabel("New password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save my new password" }).ClickAsync();
        await page.WaitForURLAsync("**/signin?reset=1");
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync())
            .ShouldBe("Your password was changed and your account is unlocked \u2014 sign in.");
        await ScreenshotsAsync(page, "reset");

        await page.GetByLabel("Email").FillAsync(pair.ClientEmail);
        await page.GetByLabel("Password").FillAsync(NewPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/portal");
    });

    /// <summary>With PORTAL_SCREENSHOTS set, the page at desktop and phone sizes, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 }) return;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"lockout-{name}-{width}.png") });
        }
        await page.SetViewportSizeAsync(1280, 720);
    }

    [GeneratedRegex(@"locked until [A-Z][a-z]{2} \d{1,2}, \d{4}, (?<time>\d{1,2}:\d\d [AP]M) CES?T\. " +
        "Wait until then, or reset your password to unlock it now\\.")]
    private static partial Regex LockedUntil();
}
