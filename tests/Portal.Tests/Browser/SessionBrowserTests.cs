using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// The portal with short session limits (20 seconds idle, warned 10 seconds before), on its own database and port,
/// so the idle warning can be watched in a real browser without waiting 15 minutes.
/// </summary>
public sealed class ShortSessionHost : IAsyncLifetime
{
    private PortalWebHost _host = null!;

    public MailCapture Mail { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _host.Services;

    public async Task InitializeAsync()
    {
        var database = await ScratchDatabase.EnsureAsync("portal_browser_sessions");
        Mail.Start();
        _host = new PortalWebHost(database.ConnectionString, Mail, new Dictionary<string, string>
        {
            ["Portal:RateLimits:AccountRequestsPerMinute"] = "10000",
            ["Portal:Sessions:StaffIdleTimeout"] = "00:00:20",
            ["Portal:Sessions:ClientIdleTimeout"] = "00:00:20",
            ["Portal:Sessions:WarningBefore"] = "00:00:10",
        });
        BaseAddress = _host.Start();
        await Services.GetRequiredService<IDocumentStore>().Advanced.ResetAllData();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

/// <summary>
/// Sessions in the browser: the idle warning appears before the deadline and "Stay signed in" keeps the person
/// signed in; left alone, the browser goes to the sign-in page, which says why. The sessions page signs out another
/// browser's session.
/// </summary>
public sealed class SessionBrowserTests(BrowserFixture fixture, ShortSessionHost shortSessions)
    : BrowserTest(fixture), IClassFixture<ShortSessionHost>
{
    [Fact]
    public async Task The_idle_warning_keeps_the_person_signed_in_and_otherwise_signs_them_out() => await Run(async _ =>
    {
        var email = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = shortSessions.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = shortSessions.BaseAddress.ToString(),
        });
        var page = await context.NewPageAsync();
        var csp = BrowserJourney.WatchCsp(page);
        await SignInAsync(page, email);
        await page.WaitForURLAsync("**/support");

        var warning = page.GetByRole(AriaRole.Dialog, new() { Name = "Are you still there?" });
        (await warning.IsVisibleAsync()).ShouldBeFalse();
        await warning.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 20_000 });
        (await warning.InnerTextAsync()).ShouldContain("this session ends in");
        await warning.GetByRole(AriaRole.Button, new() { Name = "Stay signed in" }).ClickAsync();
        await warning.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 5_000 });

        // Past the deadline the session had before "Stay signed in": still signed in.
        await page.WaitForTimeoutAsync(12_000);
        page.Url.ShouldEndWith("/support");
        (await context.APIRequest.GetAsync("/api/account/session")).Status.ShouldBe(200);

        // Left alone: warned again, then sent to sign-in, and the old cookie no longer works.
        await page.WaitForURLAsync("**/signin?idle=20", new() { Timeout = 40_000 });
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe("You were signed out after 20 seconds without activity.");
        await page.GotoAsync("/console/clients");
        page.Url.ShouldContain("/signin");
        csp.ShouldBeEmpty();
    });

    [Fact]
    public async Task The_sessions_page_signs_out_another_browser() => await Run(async page =>
    {
        var email = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await using var other = await BrowserJourney.NewContextAsync(Fixture);
        var otherPage = await other.NewPageAsync();
        await SignInAsync(otherPage, email);
        await otherPage.WaitForURLAsync("**/support");
        await SignInAsync(page, email);
        await page.WaitForURLAsync("**/support");

        var link = page.GetByRole(AriaRole.Navigation, new() { Name = "Support" })
            .GetByRole(AriaRole.Link, new() { Name = "Sessions" });
        (await link.GetAttributeAsync("href")).ShouldBe("/support/account/sessions");
        await page.GotoAsync("/support/account/sessions");
        var sessions = page.GetByRole(AriaRole.List, new() { Name = "Active sessions" }).GetByRole(AriaRole.Listitem);
        (await sessions.CountAsync()).ShouldBe(2);
        var mine = sessions.Filter(new() { HasText = "This device" });
        (await mine.InnerTextAsync()).ShouldContain("Chrome on Linux");
        (await mine.InnerTextAsync()).ShouldContain("127.0.0.1, local network");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        await sessions.Filter(new() { HasNotText = "This device" }).GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "That session is signed out." }).WaitForAsync();
        (await sessions.CountAsync()).ShouldBe(1);

        await otherPage.GotoAsync("/console/clients");
        otherPage.Url.ShouldContain("/signin");
        await page.GotoAsync("/console/clients");
        page.Url.ShouldEndWith("/console/clients");
    });

    private static async Task SignInAsync(IPage page, string email)
    {
        await BrowserJourney.SignInOnPageAsync(page, email);
    }
}
