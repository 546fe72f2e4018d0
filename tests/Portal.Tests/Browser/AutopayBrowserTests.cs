using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Portal.Contracts;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Browser;

public sealed class AutopayBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Password = "Blue-Harbor-Lantern-42";

    [Fact]
    public async Task A_client_enrols_in_autopay_in_the_browser_and_the_provider_sees_Last_Updated() => await Run(async _ =>
    {
        var (provider, client, clientId) = await ProviderAndClientSignedInAsync();

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
        (await AxeViolationsOn(page)).Where(v => v.IsSeriousOrCritical).ShouldBeEmpty();

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
        lastUpdated.ShouldContain(DateTime.UtcNow.ToString("MMM d, yyyy"));
        lastUpdated.ShouldContain("by Casey Client");
        (await section.InnerTextAsync()).ShouldContain("Visa ending 4242");

        await provider.DisposeAsync();
        await client.DisposeAsync();
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

    private async Task<IReadOnlyList<AxeViolation>> AxeViolationsOn(IPage page)
    {
        // Evaluated through the DevTools protocol rather than a <script> tag, so the page's own CSP stays in force.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "axe.min.js")));
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document)).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }))");
        return JsonSerializer.Deserialize<List<AxeViolation>>(json.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>
    /// Support creates a practice and provider, the provider adds a client and invites them, the client activates the
    /// account from the invitation and signs in: each in its own browser context, through the real endpoints.
    /// </summary>
    private async Task<(IBrowserContext Provider, IBrowserContext Client, Guid ClientId)> ProviderAndClientSignedInAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        var clientEmail = $"client-{unique}@portal.test";
        var born = new DateOnly(1990, 4, 17);
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());
        }

        var support = await NewContextAsync();
        await SignInAsync(support, supportEmail);
        JsonElement practice = default;
        await Tracked(async () => practice = await SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await Tracked(() => SendAsync(support, "PUT", $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password", new { password = Password }, 204);
        await support.DisposeAsync();

        var provider = await NewContextAsync();
        await SignInAsync(provider, providerEmail);
        JsonElement added = default;
        await Tracked(async () => added = await SendAsync(provider, "POST", "/api/console/clients",
            new { firstName = "Casey", lastName = "Client", email = clientEmail, dateOfBirth = born }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();

        var invited = await Tracked(() => SendAsync(provider, "POST", $"/api/console/clients/{clientId}/invitation", null, 200));
        var link = invited.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>().Last().ActivationLink;
        var url = new Uri(Fixture.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        var token = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];

        var client = await NewContextAsync();
        await Tracked(() => SendAsync(client, "POST", "/api/account/activate", new { token, dateOfBirth = born, password = Password }, 200));
        await SignInAsync(client, clientEmail);
        return (provider, client, clientId);
    }

    private Task<IBrowserContext> NewContextAsync() =>
        Fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Fixture.BaseAddress.ToString() });

    private static Task SignInAsync(IBrowserContext context, string email) =>
        SendAsync(context, "POST", "/api/account/sign-in", new { email, password = Password }, 200);

    private async Task<ITrackedSession> Tracked(Func<Task> action) =>
        await Fixture.Services.GetRequiredService<IHost>().TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            // This host has no mail server: email delivery keeps retrying, and nothing here waits for it.
            .IgnoreMessagesMatchingType(type => type.FullName == "Portal.Notifications.Delivery.SendEmail")
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => action()));

    private static async Task<JsonElement> SendAsync(IBrowserContext context, string method, string url, object? body, int status)
    {
        var options = new APIRequestContextOptions { Method = method, Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } };
        if (body is not null) options.DataObject = body;
        var response = await context.APIRequest.FetchAsync(url, options);
        response.Status.ShouldBe(status, $"{method} {url}: {await response.TextAsync()}");
        var text = await response.TextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
