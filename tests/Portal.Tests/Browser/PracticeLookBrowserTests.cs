using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The owner gives the practice its look and time zone in the console; the client's portal and the practice's emails
/// wear them, and dates read in the practice's zone.
/// </summary>
public sealed partial class PracticeLookBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string ShownName = "Harbor Light Therapy";

    [Fact]
    public async Task An_owner_sets_zone_logo_and_colour_and_the_client_portal_and_an_email_show_them() => await Run(async _ =>
    {
        await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await pair.Provider.NewPageAsync();
        var consoleCsp = BrowserJourney.WatchCsp(console);

        await console.GotoAsync("/console");
        await console.GetByRole(AriaRole.Link, new() { Name = "Practice settings" }).ClickAsync();
        await console.WaitForURLAsync("**/console/practice/settings");

        // A colour white text cannot be read on is refused, with the reason.
        await console.GetByLabel("Name your clients see").FillAsync(ShownName);
        await console.GetByLabel("Time zone", new() { Exact = true }).SelectOptionAsync("America/Los_Angeles");
        await console.GetByLabel("Accent colour", new() { Exact = true }).FillAsync("#ffee88");
        await console.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        (await console.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("hard to read");

        await console.GetByLabel("Accent colour", new() { Exact = true }).FillAsync("#7a1f5c");
        await console.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        (await console.GetByLabel("Time zone", new() { Exact = true }).InputValueAsync()).ShouldBe("America/Los_Angeles");

        await console.GetByLabel("Upload a logo").SetInputFilesAsync(new FilePayload
        {
            Name = "harbor.svg",
            MimeType = "image/svg+xml",
            Buffer = System.Text.Encoding.UTF8.GetBytes(Logo),
        });
        await console.GetByRole(AriaRole.Button, new() { Name = "Upload the logo", Exact = true }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("logo is saved");
        await Expect(console.Locator("img.logo-preview")).ToBeVisibleAsync();
        await console.WaitForFunctionAsync("() => document.querySelector('img.logo-preview').naturalWidth > 0");
        await ScreenshotsAsync(console, "settings");
        consoleCsp.ShouldBeEmpty();

        var portal = await pair.Client.NewPageAsync();
        var portalCsp = BrowserJourney.WatchCsp(portal);
        await portal.GotoAsync("/portal");
        await Expect(portal.Locator("header .brand")).ToContainTextAsync(ShownName);
        (await portal.TitleAsync()).ShouldContain(ShownName);
        var logo = portal.Locator("header img.brand-logo");
        await Expect(logo).ToBeVisibleAsync();
        (await logo.EvaluateAsync<int>("img => img.naturalWidth")).ShouldBeGreaterThan(0);
        (await portal.Locator("header.site-header").EvaluateAsync<string>("h => getComputedStyle(h).borderTopColor"))
            .ShouldBe("rgb(122, 31, 92)");
        (await portal.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"))
            .ShouldBe("#7a1f5c");
        (await portal.Locator("body").InnerTextAsync()).ShouldNotContain("portal portal", Case.Insensitive);
        await ScreenshotsAsync(portal, "portal");

        // The client's sessions page says when they signed in, in Los Angeles time.
        await portal.GotoAsync("/portal/account/sessions");
        var sessions = await portal.Locator("main").InnerTextAsync();
        PacificTime().IsMatch(sessions).ShouldBeTrue(sessions);
        sessions.ShouldNotContain("UTC");
        portalCsp.ShouldBeEmpty();

        // An email from the practice now wears its look, and its times are in the practice's zone.
        Fixture.Mail.Clear();
        await BrowserJourney.SendAsync(pair.Client, "POST", "/api/account/password-reset", new { email = pair.ClientEmail }, 202);
        var email = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == pair.ClientEmail));
        email.Subject.ShouldBe($"Reset your password for {ShownName}");
        var html = email.HtmlBody.ShouldNotBeNull();
        html.ShouldContain(ShownName);
        html.ShouldContain("#7a1f5c");
        html.ShouldContain("/practice-looks/");
        var text = email.TextBody.ShouldNotBeNull();
        PacificTime().IsMatch(text).ShouldBeTrue(text);
        text.ShouldNotContain("UTC");

        // The email's link opens a sign-in page in the practice's look, before anyone signs in.
        var link = new Uri(MailCapture.LinkIn(email)!);
        await using var stranger = await BrowserJourney.NewContextAsync(Fixture);
        var visitor = await stranger.NewPageAsync();
        await visitor.GotoAsync(link.PathAndQuery);
        await Expect(visitor.Locator("header .brand")).ToContainTextAsync(ShownName);
        await Expect(visitor.Locator("header img.brand-logo")).ToBeVisibleAsync();

        // The email as a person sees it (its logo address is the portal's public one, so it is served by this host).
        var mailView = await stranger.NewPageAsync();
        await mailView.SetContentAsync(html.Replace(PublicUrlOf(html), Fixture.BaseAddress.ToString().TrimEnd('/')));
        await ScreenshotsAsync(mailView, "email");
    });

    private const string Logo =
        """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40"><rect width="40" height="40" rx="8" fill="#7a1f5c"/><path d="M8 28 L20 10 L32 28 Z" fill="#ffffff"/><text x="46" y="27" font-family="sans-serif" font-size="16" fill="#1d2733">Harbor</text></svg>""";

    /// <summary>The scheme and host the email's logo address starts with.</summary>
    private static string PublicUrlOf(string html) => LogoAddress().Match(html).Groups[1].Value;

    /// <summary>With PORTAL_SCREENSHOTS set, the page at desktop and phone sizes, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 }) return;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"practice-look-{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 720);
    }

    [GeneratedRegex(@"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M P[SD]T")]
    private static partial Regex PacificTime();

    [GeneratedRegex("src=\"(https?://[^/\"]+)/practice-looks/")]
    private static partial Regex LogoAddress();
}
