using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// Every layout has a sign-out in its header, reached with the keyboard; it signs out for real: the page says so,
/// the area sends the person to sign-in, and a copy of the cookie taken before is refused too.
/// </summary>
public sealed class SignOutBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_provider_console_signs_out_from_its_header() => await Run(async page =>
    {
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        await pair.DisposeAsync();
        await SignInAndOutAsync(page, pair.ProviderEmail, home: "**/console", area: "/console/clients");
    });

    [Fact]
    public async Task The_support_pages_sign_out_from_their_header() => await Run(async page =>
    {
        var email = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, email, BrowserJourney.Password, "Sam Support", TimeProvider.System);
        await SignInAndOutAsync(page, email, home: "**/support", area: "/support/accounts");
    });

    [Fact]
    public async Task The_client_portal_signs_out_from_its_header() => await Run(async page =>
    {
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        await pair.DisposeAsync();
        await SignInAndOutAsync(page, pair.ClientEmail, home: "**/portal", area: "/portal");
    });

    private async Task SignInAndOutAsync(IPage page, string email, string home, string area)
    {
        await BrowserJourney.SignInOnPageAsync(page, email);
        await page.WaitForURLAsync(home);
        await page.GotoAsync(area);
        page.Url.ShouldEndWith(area);
        var copied = await page.Context.StorageStateAsync();

        // Tab from the top of the page until the header's sign-out has the focus, then press Enter.
        var signOut = page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        var focused = false;
        for (var tab = 0; tab < 40 && !focused; tab++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused = await signOut.EvaluateAsync<bool>("button => button === document.activeElement");
        }
        focused.ShouldBeTrue("the header's sign-out is not reachable with the Tab key");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/signout");
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("You are signed out");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).CountAsync()).ShouldBe(0);

        await page.GotoAsync(area);
        page.Url.ShouldContain("/signin");

        // The cookie as it was before signing out, in another browser: refused as well.
        await using var copy = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.BaseAddress.ToString(),
            StorageState = copied,
        });
        var other = await copy.NewPageAsync();
        await other.GotoAsync(area);
        other.Url.ShouldContain("/signin");
    }
}
