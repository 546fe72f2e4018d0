using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using Portal.Tests.Integrations;

namespace Portal.Tests.Browser;

/// <summary>
/// The owner connects the practice's other systems on the Integrations page: creates an API client whose secret is
/// shown once and works at the token endpoint, subscribes a webhook receiver, sees the delivery in the log and sends
/// it again.
/// </summary>
public sealed class IntegrationsBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_owner_creates_API_credentials_and_a_webhook_on_the_page_and_sends_a_delivery_again() =>
        await Run(async _ =>
        {
            await using var pair = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture);
            var page = await pair.Provider.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 800);
            await page.GotoAsync("/console");
            await page.GetByRole(AriaRole.Link, new() { Name = "Integrations" }).ClickAsync();
            await page.WaitForURLAsync("**/console/integrations");

            await page.GetByLabel("Name of the system").FillAsync("Practice EHR");
            await page.GetByLabel("clients.read").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create API client" }).ClickAsync();
            var secret = await page.Locator("[data-field=client-secret]").InnerTextAsync();
            var clientId = await page.Locator("[data-field=client-id]").InnerTextAsync();
            secret.ShouldStartWith("pcs_");
            (await page.Locator("[data-api-client]").InnerTextAsync()).ShouldContain("Practice EHR");

            // Post/Redirect/Get: the secret is shown on the page after the redirect, and reloading neither posts the
            // form again (one client, not two) nor shows the secret a second time.
            await page.ReloadAsync();
            (await page.Locator("[data-api-client]").CountAsync()).ShouldBe(1);
            (await page.Locator("main").InnerTextAsync()).ShouldNotContain(secret);
            page.Url.ShouldEndWith("/console/integrations");

            // The credentials shown work for a real HTTP client, and the secret is not shown again.
            using (var http = new HttpClient { BaseAddress = Fixture.BaseAddress })
            {
                var token = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
                }));
                token.IsSuccessStatusCode.ShouldBeTrue(await token.Content.ReadAsStringAsync());
                using var body = JsonDocument.Parse(await token.Content.ReadAsStringAsync());
                http.DefaultRequestHeaders.Authorization =
                    new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
                (await http.GetStringAsync($"/api/console/clients/{pair.ClientId}")).ShouldContain(pair.ClientId.ToString());
            }
            await page.GotoAsync("/console/integrations");
            (await page.Locator("main").InnerTextAsync()).ShouldNotContain(secret);
            (await page.Locator("[data-api-client]").CountAsync()).ShouldBe(1);

            await using var receiver = await WebhookReceiver.StartAsync();
            await page.GetByLabel("Allow endpoints on the practice's own private network").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("private network");
            await page.GetByLabel("URL", new() { Exact = true }).FillAsync(receiver.Url);
            await page.GetByLabel("client.added").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
            receiver.Secret = await page.Locator("[data-field=signing-secret]").InnerTextAsync();
            receiver.Secret.ShouldStartWith("whsec_");

            await BrowserJourney.TrackedAsync(Fixture, () => BrowserJourney.SendAsync(pair.Provider, "POST", "/api/console/clients",
                new { firstName = "Webb", lastName = "Hooke", email = $"webb-{Guid.NewGuid():N}@portal.test", dateOfBirth = "1988-02-03" }, 201));
            await receiver.WaitForAsync(1);
            await page.GotoAsync("/console/integrations");
            var row = page.Locator("[data-delivery]");
            await Assertions.Expect(row.Locator("[data-field=status]")).ToHaveTextAsync("Delivered");
            (await row.InnerTextAsync()).ShouldContain("client.added");
            await SaveScreenshotAsync(page, "integrations-1280");

            await page.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
            (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("Sending again");
            await receiver.WaitForAsync(2);
            receiver.Requests.ShouldAllBe(r => r.SignatureValid);
            receiver.Requests.Select(r => r.WebhookId).Distinct().ShouldHaveSingleItem();
            (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();

            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("/console/integrations");
            (await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1")).ShouldBeTrue("no sideways scrolling");
            await SaveScreenshotAsync(page, "integrations-390");
        });

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"IntegrationsBrowserTests.{name}.png"), FullPage = true });
    }
}
