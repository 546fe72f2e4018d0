using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Contracts;
using Wolverine.Tracking;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A parent with two children and her own record (issue #33 item 3): one login, made once, that the children's links
/// join; she completes the intake of each, switching between them in the portal's header.
/// </summary>
public sealed class ContactsBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Password = BrowserJourney.Password;
    private static readonly DateOnly JaneBorn = new(1986, 6, 9);
    private static readonly DateOnly SamBorn = new(2015, 3, 2);
    private static readonly DateOnly LeeBorn = new(2017, 9, 21);

    private sealed record Family(string JaneEmail, Guid Jane, Guid Sam, Guid Lee, string OwnToken, string SamToken, string LeeToken);

    [Fact]
    public async Task A_parent_activates_once_and_completes_the_intake_of_two_children_and_her_own_switching_between_them() =>
        await Run(async page =>
    {
        var family = await FamilyWithIntakeAsync();
        var csp = BrowserJourney.WatchCsp(page);

        // Her own record's link makes the login; each child's link joins it with the child's date of birth and her password.
        await page.GotoAsync($"/activate?token={family.OwnToken}");
        await page.GetByLabel("Your date of birth").FillAsync(JaneBorn.ToString("yyyy-MM-dd"));
        await page.GetByLabel("Choose a password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal\\?activated=1$"));
        foreach (var (token, child, born) in new[] { (family.SamToken, "Sam", SamBorn), (family.LeeToken, "Lee", LeeBorn) })
        {
            await page.GotoAsync($"/activate?token={token}");
            await Expect(page.GetByText($"invited you to act for {child}")).ToBeVisibleAsync();
            await page.GetByLabel($"{child}'s date of birth").FillAsync(born.ToString("yyyy-MM-dd"));
            await page.GetByLabel("Your password").FillAsync(Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Activate my account" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/portal\\?activated=1$"));
        }

        // Each activation ended signed in; signing in again starts on her own record.
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(family.JaneEmail);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("[data-acting-for]")).ToHaveTextAsync("Jane Doe");

        var signedBy = new Dictionary<string, string>();
        foreach (var (name, expected) in new[]
                 {
                     ("Jane Doe", "Jane Doe"), ("Sam Doe", "Jane Doe, parent of Sam Doe"), ("Lee Doe", "Jane Doe, parent of Lee Doe"),
                 })
        {
            if (name != "Jane Doe")
            {
                await page.GetByLabel("You are acting for:").SelectOptionAsync(new SelectOptionValue { Label = $"{name} (you are their parent)" });
                await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
                await Expect(page.Locator("[data-acting-for]")).ToHaveTextAsync(name);
            }
            await page.GotoAsync("/portal/tasks");
            var workflow = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Family intake" }) });
            await Expect(workflow).ToContainTextAsync("0 of 1 done");
            if (name == "Sam Doe") await ScreenshotsAsync(page, "tasks-as-parent");
            await workflow.GetByRole(AriaRole.Link, new() { Name = "Sign: Practice policies" }).ClickAsync();
            await page.GetByLabel("I agree to sign electronically.").CheckAsync();
            await page.GetByLabel("Type your full name to sign").FillAsync("Jane Doe");
            await BrowserJourney.TrackedAsync(Fixture, async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Electronic signature" })).ToBeVisibleAsync();
            });
            signedBy[name] = await page.Locator("[data-signed-by]").InnerTextAsync();
            if (name == "Lee Doe") await ScreenshotsAsync(page, "signed-by-parent");
            await page.GotoAsync("/portal/tasks");
            await Expect(page.GetByText("You have nothing to do right now.")).ToBeVisibleAsync();
            (signedBy[name]).ShouldBe(expected);
        }

        // Each record's intake is done, each under its own record.
        await page.GetByLabel("You are acting for:").SelectOptionAsync(new SelectOptionValue { Label = "Sam Doe (you are their parent)" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await page.GotoAsync("/portal/tasks");
        await Expect(page.GetByText("You have nothing to do right now.")).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        csp.ShouldBeEmpty();
    });

    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"contacts-{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>
    /// Through the real endpoints: support makes the practice, the provider adds Jane and her children, front office makes
    /// Jane the children's parent contact and invites her for each, and the provider assigns an intake to all three
    /// (which invites Jane for her own record).
    /// </summary>
    private async Task<Family> FamilyWithIntakeAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        var janeEmail = $"jane-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());

        await using var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = Password }, 200);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password", new { password = Password }, 204);

        await using var provider = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(provider, "POST", "/api/account/sign-in", new { email = providerEmail, password = Password }, 200);
        async Task<Guid> AddClient(string first, DateOnly born, string email)
        {
            JsonElement added = default;
            await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(provider, "POST", "/api/console/clients",
                new { firstName = first, lastName = "Doe", email, dateOfBirth = born }, 201));
            return added.GetProperty("clientId").GetGuid();
        }
        var jane = await AddClient("Jane", JaneBorn, janeEmail);
        var sam = await AddClient("Sam", SamBorn, $"sam-{unique}@portal.test");
        var lee = await AddClient("Lee", LeeBorn, $"lee-{unique}@portal.test");

        async Task<string> ContactToken(Guid clientId)
        {
            JsonElement contact = default;
            await BrowserJourney.TrackedAsync(Fixture, async () => contact = await BrowserJourney.SendAsync(provider, "POST",
                $"/api/console/clients/{clientId}/contacts",
                // She reads what she signed for them: a contact without "see results" never gets a signed copy.
                new { name = "Jane Doe", email = janeEmail, relationship = "Parent", seesResults = true }, 201));
            var sent = await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(provider, "POST",
                $"/api/console/clients/{clientId}/contacts/{contact.GetProperty("contactId").GetGuid()}/invitation", null, 200));
            return Token(sent, clientId);
        }
        var samToken = await ContactToken(sam);
        var leeToken = await ContactToken(lee);

        JsonElement document = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => document = await BrowserJourney.SendAsync(provider, "POST", "/api/documents",
            new { title = "Practice policies", markdown = "Cancel **24 hours** ahead or the session is charged." }, 201));
        var documentId = document.GetProperty("documentId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(provider, "POST", $"/api/documents/{documentId}/publish",
            new { revision = document.GetProperty("revision").GetInt32(), requireExistingSignersToSignAgain = false }, 200));

        JsonElement workflow = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => workflow = await BrowserJourney.SendAsync(provider, "POST", "/api/workflows",
            new
            {
                name = "Family intake",
                stages = new[] { new { name = "Paperwork", tasks = new[] { new { key = "policies", kind = "SignDocument", subjectId = documentId.ToString() } } } },
            }, 201));
        var workflowId = workflow.GetProperty("id").GetGuid();
        await BrowserJourney.SendAsync(provider, "POST",
            $"/api/workflows/{workflowId}/publish?expectedRevision={workflow.GetProperty("revision").GetInt32()}", null, 200);
        var assigned = await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(provider, "POST",
            $"/api/workflows/{workflowId}/assignments", new { clientIds = new[] { jane, sam, lee } }, 200));
        return new Family(janeEmail, jane, sam, lee, Token(assigned, jane), samToken, leeToken);
    }

    private string Token(ITrackedSession tracked, Guid clientId)
    {
        var link = tracked.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>().Last(e => e.ClientId == clientId).ActivationLink;
        var url = new Uri(Fixture.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        return url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];
    }
}
