using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// Passkeys in Chromium, with the DevTools protocol's virtual authenticator (resident keys, user verification) standing
/// for a phone or laptop: a client activates, lands on their tasks, takes the passkey offer and later signs in with the
/// passkey alone; a clinician signs in with password and passkey, removes it, and it no longer works. The pages are
/// opened at http://localhost:{port}, the portal's public address (WebAuthn takes no IP address as relying party).
/// </summary>
public sealed class PasskeyBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task A_client_activates_onto_their_tasks_takes_the_passkey_offer_and_signs_in_with_the_passkey_alone(int width, int height) =>
        await OnLocalhostAsync(width, height, autofill: false, async page =>
    {
        var (clientEmail, token) = await InvitedClientWithTaskAsync();
        var csp = BrowserJourney.WatchCsp(page);
        await AddVirtualAuthenticatorAsync(page);

        await page.GotoAsync($"/activate?token={token}");
        await page.GetByLabel("Your date of birth").FillAsync("1990-04-17");
        await page.GetByLabel("Choose a password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();

        // Activation ends signed in on the portal home: the message, the address to use next time, the task, the offer.
        await page.WaitForURLAsync("**/portal?activated=1");
        var notice = await page.GetByText("Your account is active").InnerTextAsync();
        notice.ShouldContain(clientEmail);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add your insurance" })).ToBeVisibleAsync();
        var offer = page.GetByRole(AriaRole.Heading, new() { Name = "Sign in with your face or fingerprint next time" });
        await Expect(offer).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Not now" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, $"passkey-offer-{width}");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        await page.GetByRole(AriaRole.Button, new() { Name = "Set up a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/account/passkeys?added=1");
        await Expect(page.GetByText("Your passkey is ready")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Chrome on Linux" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, $"passkeys-page-{width}");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signout");
        await page.GotoAsync("/signin");
        (await page.GetByLabel("Email").GetAttributeAsync("autocomplete")).ShouldBe("username webauthn");
        await Expect(page.GetByText("The email address your invitation was sent to")).ToBeVisibleAsync();
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey", Exact = true });
        await Expect(button).ToBeVisibleAsync();
        await ScreenshotAsync(page, $"passkey-signin-{width}");

        await button.ClickAsync();
        await page.WaitForURLAsync("**/portal");
        (await page.Locator("h1").InnerTextAsync()).ShouldContain("Welcome, Casey Client");
        csp.ShouldBeEmpty();
    });

    [Fact]
    public async Task The_email_field_offers_the_passkey_in_autofill_and_choosing_it_signs_in() =>
        await OnLocalhostAsync(1280, 800, autofill: true, async page =>
    {
        var providerEmail = await ProviderAsync();
        await AddVirtualAuthenticatorAsync(page);
        // A new member without a second factor is sent to set one up; a passkey is one.
        await SignInWithPasswordAsync(page, providerEmail);
        await page.WaitForURLAsync("**/account/second-factor**");
        await page.GotoAsync("/account/passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/account/passkeys?added=1");
        await SignOutAsync(page);

        // The sign-in page asks for passkeys with conditional mediation; the virtual authenticator picks the only one.
        await page.GotoAsync("/signin");
        await page.WaitForURLAsync("**/console");
        (await page.Locator("h1").InnerTextAsync()).ShouldNotBeNullOrWhiteSpace();
    });

    [Fact]
    public async Task A_clinician_signs_in_with_password_and_passkey_and_a_removed_passkey_no_longer_works() =>
        await OnLocalhostAsync(1280, 800, autofill: false, async page =>
    {
        var providerEmail = await ProviderAsync();
        var csp = BrowserJourney.WatchCsp(page);
        await AddVirtualAuthenticatorAsync(page);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // A new member without a second factor is sent to set one up; a passkey is one.
        await SignInWithPasswordAsync(page, providerEmail);
        await page.WaitForURLAsync("**/account/second-factor**");
        await page.GotoAsync("/account/passkeys");
        await page.GetByLabel("Name it so you recognise it later").FillAsync("Office laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Office laptop" })).ToBeVisibleAsync();

        // The right password is not enough any more: the passkey finishes the sign-in.
        await SignOutAsync(page);
        await SignInWithPasswordAsync(page, providerEmail);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Use your passkey" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "passkey-second-factor-1280");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use my passkey" }).ClickAsync();
        await page.WaitForURLAsync("**/console");

        await page.GotoAsync("/account/passkeys");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByText("You have no passkeys yet.")).ToBeVisibleAsync();

        // The authenticator still holds the key, but the portal no longer knows it.
        await SignOutAsync(page);
        await page.GotoAsync("/signin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey", Exact = true }).ClickAsync();
        await Expect(page.GetByText("That passkey didn't sign you in")).ToBeVisibleAsync();
        page.Url.ShouldContain("/signin");

        // Without its only factor the clinician is sent to set one up again before any client data.
        await SignInWithPasswordAsync(page, providerEmail);
        await page.WaitForURLAsync("**/account/second-factor**");
        csp.ShouldBeEmpty();
    });

    /// <summary>
    /// A browser at the portal's public address. The virtual authenticator answers the email field's autofill request
    /// (conditional mediation) at once, where a person would first pick the passkey from the list; unless
    /// <paramref name="autofill"/>, the browser says it has no autofill for passkeys, so the steps a person takes by hand
    /// (typing a password, the "Use a passkey" button) are what the test drives. A failure saves a screenshot of this
    /// page, named after the test and the width.
    /// </summary>
    private async Task OnLocalhostAsync(int width, int height, bool autofill, Func<IPage, Task> steps,
        [System.Runtime.CompilerServices.CallerMemberName] string testName = "")
    {
        await using var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = $"http://localhost:{Fixture.BaseAddress.Port}/",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        if (!autofill)
            await context.AddInitScriptAsync(
                "if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false);");
        var page = await context.NewPageAsync();
        try
        {
            await steps(page);
        }
        catch
        {
            await ScreenshotAsync(page, $"{nameof(PasskeyBrowserTests)}.{testName}-{width}");
            throw;
        }
    }

    private static async Task AddVirtualAuthenticatorAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
    }

    private static async Task SignInWithPasswordAsync(IPage page, string email)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signout");
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }

    /// <summary>Support makes the practice and the provider's password (through the real endpoints); the provider's email.</summary>
    private async Task<string> ProviderAsync() => (await PracticeAsync()).ProviderEmail;

    /// <summary>
    /// A client without an account whose provider requested a task ("Add your insurance"), which invited them: their
    /// email and the activation link's token.
    /// </summary>
    private async Task<(string Email, string Token)> InvitedClientWithTaskAsync()
    {
        var (providerEmail, _) = await PracticeAsync();
        await using var provider = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(provider, "POST", "/api/account/sign-in", new { email = providerEmail, password = BrowserJourney.Password }, 200);
        var email = $"casey-{Guid.NewGuid():N}@portal.test";
        JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(provider, "POST", "/api/console/clients",
            new { firstName = "Casey", lastName = "Client", email, dateOfBirth = new DateOnly(1990, 4, 17) }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();
        var requested = await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(provider, "POST", $"/api/clients/{clientId}/requests", new { kind = "AddInsurance" }, 201));
        var link = requested.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>().Last().ActivationLink;
        var url = new Uri(Fixture.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        var token = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
        return (email, token);
    }

    private async Task<(string ProviderEmail, Guid ProviderId)> PracticeAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());
        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password", new { password = BrowserJourney.Password }, 204);
        return (providerEmail, providerId);
    }
}
