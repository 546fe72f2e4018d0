using Microsoft.Playwright;

namespace Portal.Tests.Browser;

/// <summary>The console's autopay charges page (#27 item 6): post a charge and refund it, on a desktop and on a phone.</summary>
public sealed class AutopayChargesBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_practice_posts_a_charge_and_refunds_part_of_it_from_the_console_page_on_a_phone() => await Run(async _ =>
    {
        await using var signedIn = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var (provider, client, clientId, _, _) = signedIn;
        var expiry = DateTime.UtcNow.AddYears(2);
        var token = await BrowserJourney.SendAsync(client, "POST", "/sandbox-gateway/tokens",
            new { number = "4242424242424242", expMonth = expiry.Month, expYear = expiry.Year, cvc = "123" }, 200);
        await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(client, "POST", "/api/autopay/enrolment", new
        {
            cardToken = token.GetProperty("token").GetString(), cardholderName = "Casey Client", billingPostalCode = "97201",
            consentVersion = "2026-11-01", agreedToAuthorization = true,
        }, 200));

        var page = await provider.NewPageAsync();
        // A shared machine under load: the first requests of a fresh host compile code.
        page.SetDefaultTimeout(90_000);
        await page.SetViewportSizeAsync(390, 844);
        // The profile's autopay section leads to the page.
        await page.GotoAsync($"/console/clients/{clientId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Charges and refunds" }).ClickAsync();
        await page.WaitForURLAsync($"**/console/clients/{clientId}/autopay");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Visa ending 4242, expires");
        await NoSidewaysScrollAsync(page);

        await page.GetByLabel("Amount (US dollars)").FillAsync("120.00");
        await page.GetByLabel("Description (seen by the practice only; never in the receipt)").FillAsync("Session");
        await page.GetByRole(AriaRole.Button, new() { Name = "Charge the card on file" }).ClickAsync();
        await page.WaitForURLAsync("**done=charged");
        (await page.Locator("[role=status]").InnerTextAsync()).ShouldContain("The charge was posted.");
        var row = page.Locator("#charges > li").First;
        (await row.InnerTextAsync()).ShouldContain("$120.00");
        (await row.InnerTextAsync()).ShouldContain("Succeeded");

        await row.Locator("summary", new() { HasText = "Refund" }).ClickAsync();
        await row.Locator("input[name=Amount]").FillAsync("20");
        await row.Locator("select[name=ClientReason]").SelectOptionAsync("requested_by_client");
        await row.Locator("input[name=Reason]").FillAsync("Late cancellation fee waived");
        await NoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("autopay-charges-refund-390"), FullPage = true });
        await row.GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
        await page.WaitForURLAsync("**done=refunded");
        (await page.Locator("[role=status]").InnerTextAsync()).ShouldContain("The refund was made.");
        var refunded = await page.Locator("#charges > li").First.InnerTextAsync();
        refunded.ShouldContain("$20.00 refunded");
        refunded.ShouldContain("Late cancellation fee waived");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await NoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("autopay-charges-390"), FullPage = true });

        await page.SetViewportSizeAsync(1280, 800);
        await page.ReloadAsync();
        await page.ScreenshotAsync(new() { Path = Shot("autopay-charges-1280"), FullPage = true });

        // The client's email tells the reason in the practice's chosen words, never its note.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Fixture.Mail.Messages.Any(m => m.Subject?.Contains("refunded $20.00") == true) && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        var mail = Fixture.Mail.Messages.Where(m => m.Subject?.Contains("refunded $20.00") == true).ShouldHaveSingleItem();
        mail.TextBody.ShouldNotBeNull().ShouldContain("because you asked for a refund.");
        mail.TextBody.ShouldNotContain("Late cancellation");
    });

    private static async Task NoSidewaysScrollAsync(IPage page) =>
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();

    private static string Shot(string name)
    {
        var folder = Path.Combine(Portal.Tests.Infrastructure.TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
