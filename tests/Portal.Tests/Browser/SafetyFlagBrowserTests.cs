using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A client's safety answer, as both people see it: the client's crisis notice with tap-to-call links, and the
/// provider's "Needs attention" panel and client-list badge, gone once they acknowledge it with a note, which the
/// client's profile then shows with who and when. Screenshots at 1280x800 and 390x844 under TestResults/screenshots.
/// </summary>
public sealed class SafetyFlagBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_safety_answer_gives_the_client_tap_to_call_links_and_the_provider_a_panel_and_badge_until_acknowledged() => await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Robin", "Rivera");

        // The client answers the PHQ-9 on a phone, item 9 "several days".
        var client = await people.Client.NewPageAsync();
        await client.SetViewportSizeAsync(390, 844);
        var clientCsp = BrowserJourney.WatchCsp(client);
        await client.GotoAsync("/portal/assessments/phq9");
        for (var item = 0; item < 9; item++)
            await client.Locator($"input[name='Answers[{item}]'][value='{(item == 8 ? 1 : 0)}']").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            client.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }).ClickAsync());
        var notice = client.GetByRole(AriaRole.Alert);
        await Expect(notice).ToContainTextAsync("call or text 988");
        await Expect(notice.GetByRole(AriaRole.Link, new() { Name = "Call 988, Suicide & Crisis Lifeline" }))
            .ToHaveAttributeAsync("href", "tel:988");
        await Expect(notice.GetByRole(AriaRole.Link, new() { Name = "Text 988" })).ToHaveAttributeAsync("href", "sms:988");
        await Expect(notice.GetByRole(AriaRole.Link, new() { Name = "Call 911" })).ToHaveAttributeAsync("href", "tel:911");
        (await client.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        await ShotAsync(client, "client-crisis-390");
        await client.SetViewportSizeAsync(1280, 800);
        await ShotAsync(client, "client-crisis-1280");
        clientCsp.ShouldBeEmpty();

        // The provider's landing page: the panel first, the badge on the client's row.
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(1280, 800);
        var consoleCsp = BrowserJourney.WatchCsp(console);
        await console.GotoAsync("/console/clients");
        var panel = console.GetByRole(AriaRole.Region, new() { Name = "Needs attention" });
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Robin Rivera" })).ToHaveAttributeAsync("href", $"/console/clients/{people.ClientId}");
        await Expect(panel).ToContainTextAsync("safety answer in the PHQ-9");
        var row = console.Locator($"tr[data-client='{people.ClientId}']");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Safety answer", Exact = true })).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await ShotAsync(console, "console-panel-1280");
        await console.SetViewportSizeAsync(390, 844);
        (await console.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        await ShotAsync(console, "console-panel-390");

        // /console shows the same panel and leads on to the client list.
        await console.GotoAsync("/console");
        await Expect(console.GetByRole(AriaRole.Region, new() { Name = "Needs attention" })).ToBeVisibleAsync();
        await Expect(console.GetByRole(AriaRole.Link, new() { Name = "Your clients" })).ToBeVisibleAsync();

        // Acknowledge with a note, from the panel on the phone-sized screen.
        await console.GotoAsync("/console/clients");
        panel = console.GetByRole(AriaRole.Region, new() { Name = "Needs attention" });
        await panel.GetByLabel("Follow-up note for Robin Rivera").FillAsync("Called Robin; safety plan reviewed, session tomorrow.");
        await BrowserJourney.TrackedAsync(Fixture, () => panel.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync());
        await Expect(console).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/clients$"));
        await console.ReloadAsync();
        await Expect(console.GetByRole(AriaRole.Region, new() { Name = "Needs attention" })).ToHaveCountAsync(0);
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Safety answer", Exact = true })).ToHaveCountAsync(0);

        // The profile shows who acknowledged, when, and the note.
        await console.SetViewportSizeAsync(1280, 800);
        await console.GotoAsync($"/console/clients/{people.ClientId}");
        var followUp = console.GetByRole(AriaRole.Region, new() { Name = "Safety follow-up" });
        await Expect(followUp).ToContainTextAsync("Acknowledged by Pat Provider");
        await Expect(followUp).ToContainTextAsync("Called Robin; safety plan reviewed, session tomorrow.");
        await ShotAsync(console, "profile-follow-up-1280");
        await console.SetViewportSizeAsync(390, 844);
        await ShotAsync(console, "profile-follow-up-390");
        consoleCsp.ShouldBeEmpty();
    });

    private static async Task ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"SafetyFlagBrowserTests.{name}.png"), FullPage = true });
    }
}
