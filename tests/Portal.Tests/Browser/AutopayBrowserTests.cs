using Microsoft.Playwright;

namespace Portal.Tests.Browser;

public sealed class AutopayBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_client_enrols_in_autopay_in_the_browser_and_the_provider_sees_Last_Updated() => await Run(async _ =>
    {
        await using var signedIn = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
        var (provider, client, clientId, _, _) = signedIn;

        var page = await client.NewPageAsync();
        await page.SetViewportSizeAsync(375, 740);
        var tokenization = new List<string>();
        var pagePosts = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method != "POST") return;
            if (request.Url.EndsWith("/sandbox-gateway/tokens", StringComparison.Ordinal)) tokenization.Add(request.PostData ?? string.Empty);
            else pagePosts.Add(request.PostData ?? string.Empty);
        };

        await page.GotoAsync("/portal/autopay");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

        // Without agreeing, the form says so and nothing is sent anywhere.
        await FillCardAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll in autopay" }).ClickAsync();
        (await page.Locator("#card-form-errors").InnerTextAsync()).ShouldContain("Please agree to the autopay authorization");
        tokenization.ShouldBeEmpty();

        await page.GetByLabel("I have read and agree to the autopay authorization").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll in autopay" }).ClickAsync();
        await page.WaitForURLAsync("**/portal/autopay?done=enrolled");

        (await page.Locator("[role=status]").InnerTextAsync()).ShouldContain("You are enrolled in autopay.");
        (await page.Locator("main").InnerTextAsync()).ShouldContain("Visa ending 4242");
        tokenization.ShouldHaveSingleItem().ShouldContain("4242 4242 4242 4242");
        pagePosts.ShouldNotBeEmpty();
        pagePosts.ShouldAllBe(body => !body.Replace("+", string.Empty).Replace("%20", string.Empty).Contains("4242424242424242"));
        pagePosts.ShouldAllBe(body => body.Contains("CardToken=tok_"));

        var console = await provider.NewPageAsync();
        await console.GotoAsync($"/console/clients/{clientId}");
        var section = console.Locator("section", new() { Has = console.GetByRole(AriaRole.Heading, new() { Name = "Autopay" }) });
        var lastUpdated = await section.Locator(".last-updated").InnerTextAsync();
        lastUpdated.ShouldStartWith("Last Updated:");
        lastUpdated.ShouldContain(Portal.BuildingBlocks.Time.PortalTime.Date(DateTimeOffset.UtcNow, Portal.BuildingBlocks.Time.PortalTime.DefaultZone));
        lastUpdated.ShouldContain("by Casey Client");
        (await section.InnerTextAsync()).ShouldContain("Visa ending 4242");
    });

    private static async Task FillCardAsync(IPage page)
    {
        var expiry = DateTime.UtcNow.AddYears(2);
        await page.GetByLabel("Card number").FillAsync("4242424242424242");
        await page.GetByLabel("Expiry month").SelectOptionAsync(expiry.Month.ToString());
        await page.GetByLabel("Expiry year").SelectOptionAsync(expiry.Year.ToString());
        await page.GetByLabel("Security code").FillAsync("123");
        await page.GetByLabel("Name on card").FillAsync("Casey Client");
        await page.GetByLabel("Billing postal code").FillAsync("97201");
    }
}
