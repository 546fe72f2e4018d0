using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>
/// A client who gets their date of birth wrong three times is told the link is closed and that the practice was
/// told; the provider sees it on the client's profile, sends a new invitation with the button, and the new link works.
/// </summary>
public sealed class ActivationBlockedBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Wrong_dates_of_birth_close_the_link_and_the_providers_new_invitation_lets_the_client_in() => await Run(async page =>
    {
        var (provider, clientId, clientEmail, practiceName) = await ProviderWithInvitedClientAsync();
        var invitation = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == clientEmail));
        var oldLink = new Uri(MailCapture.LinkIn(invitation)!);
        Fixture.Mail.Clear();

        await page.GotoAsync(oldLink.PathAndQuery);
        foreach (var wrong in new[] { "1991-04-17", "1990-05-17", "1990-04-18" })
        {
            await page.GetByLabel("Your date of birth").FillAsync(wrong);
            await page.GetByLabel("Choose a password").FillAsync(BrowserJourney.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
            await page.WaitForLoadStateAsync();
        }
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldBe(
            $"We couldn't confirm your date of birth, so this link is closed. We've told {practiceName}; they will send you a new invitation.");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Send me a fresh link" }).CountAsync()).ShouldBe(0);
        (await page.GetByLabel("Your date of birth").CountAsync()).ShouldBe(0);
        await ScreenshotsAsync(page, "client");

        // The provider was emailed, and the client's profile shows what happened with the button for a new invitation.
        var told = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == provider.Email));
        (told.Subject ?? string.Empty).ShouldContain("could not activate their account");
        Fixture.Mail.Clear();
        var console = await provider.Context.NewPageAsync();
        await console.GotoAsync($"/console/clients/{clientId}");
        (await console.GetByText("Activation blocked after 3 wrong dates of birth on").CountAsync()).ShouldBe(1);
        await ScreenshotsAsync(console, "provider");

        // The client list says so too (Caseload, from the same message), not "Invited", with the button to invite again.
        var list = await provider.Context.NewPageAsync();
        var badge = list.Locator("span.badge[data-status='ActivationBlocked']");
        await list.GotoAsync("/console/clients");
        for (var tries = 0; tries < 40 && await badge.CountAsync() == 0; tries++)
        {
            await Task.Delay(250);
            await list.GotoAsync("/console/clients");
        }
        (await badge.InnerTextAsync()).ShouldBe("Activation blocked");
        (await list.GetByRole(AriaRole.Button, new() { Name = "Resend invitation" }).CountAsync()).ShouldBe(1);
        await ScreenshotsAsync(list, "provider-list");
        await list.CloseAsync();
        await console.GetByRole(AriaRole.Button, new() { Name = "Send a new invitation" }).ClickAsync();
        await console.WaitForURLAsync($"**/console/clients/{clientId}");
        var fresh = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == clientEmail));
        var newLink = new Uri(MailCapture.LinkIn(fresh)!);
        newLink.PathAndQuery.ShouldNotBe(oldLink.PathAndQuery);

        await page.GotoAsync(oldLink.PathAndQuery);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).ShouldContain("expired or was already used");
        await page.GotoAsync(newLink.PathAndQuery);
        await page.GetByLabel("Your date of birth").FillAsync("1990-04-17");
        await page.GetByLabel("Choose a password").FillAsync(BrowserJourney.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
        await page.WaitForURLAsync("**/portal?activated=1");
        await provider.Context.DisposeAsync();
    });

    private sealed record SignedInProvider(IBrowserContext Context, string Email);

    /// <summary>Support makes the practice, the provider (signed in, in a context of their own) adds and invites a client.</summary>
    private async Task<(SignedInProvider Provider, Guid ClientId, string ClientEmail, string PracticeName)> ProviderWithInvitedClientAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        var clientEmail = $"client-{unique}@portal.test";
        var practiceName = $"Harbor Counseling {unique}";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());

        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = BrowserJourney.Password }, 200);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName, providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(support, "PUT",
            $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password",
            new { password = BrowserJourney.Password }, 204);

        var provider = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(provider, "POST", "/api/account/sign-in", new { email = providerEmail, password = BrowserJourney.Password }, 200);
        JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(provider, "POST", "/api/console/clients",
            new { firstName = "Robin", lastName = "Reyes", email = clientEmail, dateOfBirth = new DateOnly(1990, 4, 17) }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();
        Fixture.Mail.Clear();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(provider, "POST", $"/api/console/clients/{clientId}/invitation", null, 200));
        return (new SignedInProvider(provider, providerEmail), clientId, clientEmail, practiceName);
    }

    /// <summary>With PORTAL_SCREENSHOTS set, the page at desktop and phone sizes, for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is not { Length: > 0 }) return;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"activation-blocked-{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 720);
    }
}
