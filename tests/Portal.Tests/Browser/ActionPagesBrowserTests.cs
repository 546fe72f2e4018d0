using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// Actions the API had and the console lacked, now pages on the same slices: a new client's profile complete at once,
/// headed by their name; their name and date of birth corrected; support adding a member to an existing practice.
/// Refusals show beside their field and the form keeps what was typed. Screenshots at 1280x800 and 390x844 under
/// TestResults/screenshots.
/// </summary>
public sealed class ActionPagesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_new_client_s_profile_is_complete_at_once_and_their_name_and_birth_date_are_corrected_on_a_page() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var console = await people.Provider.NewPageAsync();
        console.SetDefaultNavigationTimeout(90_000);
        console.SetDefaultTimeout(30_000);
        await console.SetViewportSizeAsync(1280, 800);
        var csp = BrowserJourney.WatchCsp(console);

        await console.GotoAsync("/console/clients/new");
        await console.GetByLabel("First name").FillAsync("Jamie");
        await console.GetByLabel("Last name").FillAsync("Newman");
        await console.Locator("#Email").FillAsync($"jamie-{Guid.NewGuid():N}@portal.test");
        await console.GetByLabel("Date of birth").FillAsync("1991-03-05");
        await console.GetByRole(AriaRole.Button, new() { Name = "Add client" }).ClickAsync();
        await console.WaitForURLAsync(new Regex("/console/clients/[0-9a-f-]{36}$"));

        // Read as the page arrived, without waiting or reloading: every module's section is there, in reading order.
        var headings = (await console.Locator("main h2").AllInnerTextsAsync()).ToList();
        string[] expected = ["Intake tasks", "Assessments", "Signed documents", "Insurance", "Autopay", "Jamie Newman: portal access"];
        foreach (var heading in expected) headings.ShouldContain(heading, $"sections shown: {string.Join(" | ", headings)}");
        expected.Select(h => headings.IndexOf(h)).ShouldBeInOrder(SortDirection.Ascending, string.Join(" | ", headings));
        (await console.Locator("h1").InnerTextAsync()).ShouldBe("Jamie Newman");
        (await console.TitleAsync()).ShouldStartWith("Jamie Newman");
        await Expect(console.Locator(".profile-head")).ToContainTextAsync("Born Mar 5, 1991");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await ShotsAsync(console, "new-client-profile");

        // The name and date of birth, corrected: a refusal shows beside each field and what was typed stays.
        await console.GetByRole(AriaRole.Link, new() { Name = "Edit name, date of birth or billing" }).ClickAsync();
        await console.WaitForURLAsync("**/edit");
        (await console.GetByLabel("First name").InputValueAsync()).ShouldBe("Jamie");
        await console.GetByLabel("First name").FillAsync("");
        await console.GetByLabel("Last name").FillAsync("Newman-Reyes");
        await console.GetByLabel("Date of birth").FillAsync("1899-12-31");
        await console.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(console.Locator("#FirstName-error")).ToContainTextAsync("First Name");
        await Expect(console.Locator("#DateOfBirth-error")).ToHaveTextAsync("Enter a real date of birth.");
        (await console.GetByLabel("Last name").InputValueAsync()).ShouldBe("Newman-Reyes");
        (await console.GetByLabel("Date of birth").InputValueAsync()).ShouldBe("1899-12-31");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await ShotsAsync(console, "edit-client-refused");

        await console.GetByLabel("First name").FillAsync("Jamie");
        await console.GetByLabel("Date of birth").FillAsync("1991-03-15");
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await console.WaitForURLAsync(new Regex("/console/clients/[0-9a-f-]{36}$"));
        });
        (await console.Locator("h1").InnerTextAsync()).ShouldBe("Jamie Newman-Reyes");
        await Expect(console.Locator(".profile-head")).ToContainTextAsync("Born Mar 15, 1991");
        // The other modules hear of it too: the client list shows the new name.
        await console.GotoAsync("/console/clients");
        await Expect(console.GetByRole(AriaRole.Link, new() { Name = "Newman-Reyes, Jamie" })).ToBeVisibleAsync();
        csp.ShouldBeEmpty();
    });

    [Fact]
    public async Task Support_adds_a_member_to_a_practice_with_refusals_beside_the_fields_and_what_was_typed_kept() =>
        await Run(async page =>
    {
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var ownerEmail = $"owner-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await BrowserJourney.SignInOnPageAsync(page, supportEmail);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(page.Context, "POST",
            "/api/support/practices",
            new { practiceName = $"Lakeside {unique}", providerName = "Olive Owner", providerEmail = ownerEmail }, 201));
        var practiceId = practice.GetProperty("practiceId").GetGuid();

        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("/support/practices");
        var form = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Add a member to a practice" }) });
        await form.GetByLabel("Practice").SelectOptionAsync(practiceId.ToString());
        await form.GetByLabel("Name").FillAsync("Billie Biller");
        await form.GetByLabel("Email").FillAsync("not-an-email");
        await form.GetByLabel("Role").SelectOptionAsync("Biller");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(page.Locator("#memberEmail-error")).ToContainTextAsync("email");
        (await form.GetByLabel("Name").InputValueAsync()).ShouldBe("Billie Biller");
        (await form.GetByLabel("Email").InputValueAsync()).ShouldBe("not-an-email");
        (await form.GetByLabel("Role").InputValueAsync()).ShouldBe("Biller");
        (await form.GetByLabel("Practice").InputValueAsync()).ShouldBe(practiceId.ToString());
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await ShotsAsync(page, "support-add-member-refused");

        // The owner's email is taken: said beside the email, not as a page-wide message.
        await form.GetByLabel("Email").FillAsync(ownerEmail);
        await form.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
        await Expect(page.Locator("#memberEmail-error")).ToHaveTextAsync("A provider with this email already exists.");
        (await form.GetByLabel("Name").InputValueAsync()).ShouldBe("Billie Biller");

        var billieEmail = $"billie-{unique}@portal.test";
        await form.GetByLabel("Email").FillAsync(billieEmail);
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await form.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Member added.");
        });
        var row = page.Locator("tr", new() { HasText = billieEmail });
        await Expect(row).ToContainTextAsync("Biller");
        await Expect(row).ToContainTextAsync($"Lakeside {unique}");
        (await form.GetByLabel("Email").InputValueAsync()).ShouldBeEmpty();
    });

    /// <summary>The elements that reach past the right edge of the window (none on a page that fits a phone).</summary>
    internal static async Task<IReadOnlyList<string>> WiderThanTheScreenAsync(IPage page) =>
        await page.EvaluateAsync<string[]>("""
            () => document.documentElement.scrollWidth <= window.innerWidth ? [] :
              [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : ''))
                .slice(0, 10)
                .concat(['(the page is wider than the window)'])
            """);

    internal static async Task ShotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (390, 844), (1280, 800) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"s38-{name}-{width}.png"), FullPage = true });
            if (width == 390) (await WiderThanTheScreenAsync(page)).ShouldBeEmpty(name);
        }
    }
}
