using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>
/// Correcting a login email in the browser: the client's clinician asks on the client's profile, support applies it on
/// /support/email-corrections (reached from support's home), the mailbox gets one email at each address, and the
/// client's open session ends.
/// </summary>
public sealed class EmailCorrectionBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Reason = "Typo at intake: the client confirmed the right address by phone.";

    [Fact]
    public async Task The_clinician_asks_support_applies_and_both_addresses_get_an_email() => await Run(async page =>
    {
        // The profile's first render composes several modules' sections: on a loaded machine it can take a while.
        page.SetDefaultNavigationTimeout(90_000);
        page.SetDefaultTimeout(30_000);
        var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Robin", "Okafor");
        var newEmail = $"robin-{Guid.NewGuid():N}@portal.test";

        // The clinician (the practice's owner, the client's primary) asks from the client's profile.
        var clinician = await pair.Provider.NewPageAsync();
        clinician.SetDefaultNavigationTimeout(90_000);
        clinician.SetDefaultTimeout(30_000);
        await clinician.GotoAsync($"/console/clients/{pair.ClientId}");
        await clinician.GetByRole(AriaRole.Link, new() { Name = "Correct the login email" }).ClickAsync();
        await clinician.WaitForURLAsync($"**/console/clients/{pair.ClientId}/email-correction");
        await Assertions.Expect(clinician.Locator("[data-current-email]")).ToHaveTextAsync(pair.ClientEmail);
        await clinician.GetByLabel("New email address").FillAsync(newEmail);
        await clinician.GetByLabel("Why it needs correcting").FillAsync(Reason);
        await ScreenshotsAsync(clinician, "request");
        (await BrowserJourney.SeriousAxeViolationsAsync(clinician)).ShouldBeEmpty();
        await clinician.GetByRole(AriaRole.Button, new() { Name = "Ask support to correct it" }).ClickAsync();
        await clinician.WaitForURLAsync($"**/console/clients/{pair.ClientId}");
        await Assertions.Expect(clinician.Locator("[data-correction-status=Waiting]")).ToContainTextAsync(newEmail);
        await Assertions.Expect(clinician.Locator("[data-correction-status=Waiting]")).ToContainTextAsync("Waiting for support");

        // Support finds it from their home and applies it with a note.
        var supportEmail = $"support-{Guid.NewGuid():N}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, BrowserJourney.Password, "Sam Support",
                TimeProvider.System);
        await BrowserJourney.SignInOnPageAsync(page, supportEmail);
        await page.WaitForURLAsync("**/support");
        await Assertions.Expect(page.Locator("[data-email-corrections]")).ToContainTextAsync("1 login email correction");
        await page.GetByRole(AriaRole.Link, new() { Name = "Open email corrections" }).ClickAsync();
        await page.WaitForURLAsync("**/support/email-corrections");
        var card = page.Locator("[data-correction]").Filter(new() { HasText = "Robin Okafor" });
        await Assertions.Expect(card).ToContainTextAsync(pair.ClientEmail);
        await Assertions.Expect(card).ToContainTextAsync(newEmail);
        await Assertions.Expect(card).ToContainTextAsync(Reason);
        await ScreenshotsAsync(page, "support");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        // Long addresses wrap on a phone instead of widening the page.
        (await card.Locator("strong.email-address").EvaluateAsync<string>("e => getComputedStyle(e).overflowWrap")).ShouldBe("anywhere");
        await card.GetByLabel("Note (required to decline)").FillAsync("Checked with the clinician.");
        await card.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"login email is now {newEmail}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("No corrections wait.");
        await ScreenshotsAsync(page, "applied");

        // The mailbox: the old address is told where the login went (masked), the new one that it is the login now.
        // Notifications sends from a durable queue: slow on a loaded machine.
        var told = false;
        for (var wait = 0; wait < 450 && !told; wait++)
        {
            told = Fixture.Mail.To(pair.ClientEmail).Any(m => m.Subject!.EndsWith("corrected your portal email address")
                    && m.TextBody?.Contains("r***@portal.test") == true)
                && Fixture.Mail.To(newEmail).Any(m => m.Subject!.EndsWith("corrected your portal email address to this one"));
            if (!told) await Task.Delay(200);
        }
        told.ShouldBeTrue("both addresses should be told; got: "
            + string.Join(" | ", Fixture.Mail.Messages.Select(m => $"{m.To}: {m.Subject}")));

        // The client's open session ended with the correction.
        await BrowserJourney.SendAsync(pair.Client, "GET", "/api/account/me", null, 401);
        await pair.DisposeAsync();
    });

    /// <summary>The page at a laptop's and a phone's size, for a person to look at (TestResults/screenshots).</summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(folder, $"{nameof(EmailCorrectionBrowserTests)}.{name}.{width}x{height}.png"), FullPage = true,
            });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
