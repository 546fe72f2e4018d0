using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The console side of contacts (issue #33 item 3): a child is added without an email, with a parent who acts for them;
/// the client's profile lists the contact with relationship, permissions and login status, and the front office invites,
/// resends and changes what the parent may do without the API.
/// </summary>
public sealed class ContactInvitesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Front_office_adds_a_child_with_a_parent_invites_and_reinvites_the_parent_and_changes_permissions_from_the_profile() =>
        await Run(async page =>
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var janeEmail = $"jane-{unique}@portal.test";
        await using var provider = await OwnerSignedInAsync(unique);
        var console = await provider.NewPageAsync();

        // A child without an email: the parent is given instead.
        await console.GotoAsync("/console/clients/new");
        await console.Locator("#FirstName").FillAsync("Sam");
        await console.Locator("#LastName").FillAsync("Doe");
        await console.Locator("#DateOfBirth").FillAsync("2019-03-02");
        await console.Locator("#GuardianName").FillAsync("Jane Doe");
        await console.Locator("#GuardianEmail").FillAsync(janeEmail);
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Add client" }).ClickAsync();
            await console.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/console/clients/[0-9a-f-]{36}$"));
        });
        var profile = console.Url;

        var contact = console.Locator("li[data-contact]");
        for (var tries = 0; tries < 40 && await contact.CountAsync() == 0; tries++)
        {
            await Task.Delay(250);
            await console.GotoAsync(profile);
        }
        await Expect(contact).ToContainTextAsync($"Jane Doe, parent ({janeEmail}): completes tasks, sees results, receives emails");
        await Expect(contact.Locator("[data-contact-status]")).ToHaveTextAsync("Not invited");

        Fixture.Mail.Clear();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Send invitation to Jane Doe" }).ClickAsync();
            await console.WaitForURLAsync(profile);
        });
        await Expect(contact.Locator("[data-contact-status]")).ToHaveTextAsync("Invited");
        var first = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == janeEmail));
        Fixture.Mail.Clear();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Resend invitation to Jane Doe" }).ClickAsync();
            await console.WaitForURLAsync(profile);
        });
        var second = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(x => x.Address == janeEmail));
        MailCapture.LinkIn(second).ShouldNotBe(MailCapture.LinkIn(first));
        await ScreenshotsAsync(console, "profile");

        // What she may do changes on the contacts page; the profile says so.
        await console.GetByRole(AriaRole.Link, new() { Name = "Add a contact or change what they may do" }).ClickAsync();
        var card = console.Locator("form[data-contact]");
        await card.GetByLabel("Sees results").UncheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await card.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        });
        await ScreenshotsAsync(console, "manage");
        for (var tries = 0; tries < 40; tries++)
        {
            await console.GotoAsync(profile);
            if ((await contact.InnerTextAsync()).Contains("completes tasks, receives emails")) break;
            await Task.Delay(250);
        }
        await Expect(contact).ToContainTextAsync("completes tasks, receives emails");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
    });

    /// <summary>Support makes the practice; its owner signs in (in a context of their own).</summary>
    private async Task<IBrowserContext> OwnerSignedInAsync(string unique)
    {
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
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(support, "PUT",
            $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password",
            new { password = BrowserJourney.Password }, 204);
        var provider = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(provider, "POST", "/api/account/sign-in", new { email = providerEmail, password = BrowserJourney.Password }, 200);
        return provider;
    }

    /// <summary>The page at desktop and phone sizes: nothing wider than the screen, and a picture for a person to look at.</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"contact-invites-{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
