using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Portal.Contracts;
using Wolverine;
using Wolverine.Tracking;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Browser;

/// <summary>A provider and one of their clients, each signed in in their own browser context.</summary>
public sealed record SignedInPair(
    IBrowserContext Provider, IBrowserContext Client, Guid ClientId, string ProviderEmail, string ClientEmail) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Client.DisposeAsync();
    }
}

/// <summary>
/// What the journey tests share: people made through the real endpoints (support creates the practice, the provider
/// adds and invites the client, the client activates and signs in), axe-core on any page, and the CSP watch.
/// </summary>
internal static class BrowserJourney
{
    public const string Password = "Blue-Harbor-Lantern-42";

    public static async Task<SignedInPair> ProviderAndClientSignedInAsync(
        BrowserFixture fixture, string firstName = "Casey", string lastName = "Client")
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        var clientEmail = $"client-{unique}@portal.test";
        var born = new DateOnly(1990, 4, 17);
        await using (var session = fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support",
                fixture.Services.GetRequiredService<TimeProvider>());
        }

        var support = await NewContextAsync(fixture);
        await SignInAsync(support, supportEmail);
        JsonElement practice = default;
        await TrackedAsync(fixture, async () => practice = await SendAsync(support, "POST", "/api/support/practices",
            new { practiceName = $"Harbor Counseling {unique}", providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await TrackedAsync(fixture, () =>
            SendAsync(support, "PUT", $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password", new { password = Password }, 204);
        await support.DisposeAsync();

        var provider = await NewContextAsync(fixture);
        await SignInAsync(provider, providerEmail);
        JsonElement added = default;
        await TrackedAsync(fixture, async () => added = await SendAsync(provider, "POST", "/api/console/clients",
            new { firstName, lastName, email = clientEmail, dateOfBirth = born }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();

        var invited = await TrackedAsync(fixture, () => SendAsync(provider, "POST", $"/api/console/clients/{clientId}/invitation", null, 200));
        var link = invited.AllRecordsInOrder().Select(r => r.Message).OfType<InvitationEmailRequested>().Last().ActivationLink;
        var url = new Uri(fixture.Services.GetRequiredService<IDataProtectionProvider>()
            .CreateProtector("Portal.SecretLink").Unprotect(link.Protected));
        var token = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "token")[1];

        var client = await NewContextAsync(fixture);
        await TrackedAsync(fixture, () =>
            SendAsync(client, "POST", "/api/account/activate", new { token, dateOfBirth = born, password = Password }, 200));
        await SignInAsync(client, clientEmail);
        return new SignedInPair(provider, client, clientId, providerEmail, clientEmail);
    }

    public static Task<IBrowserContext> NewContextAsync(BrowserFixture fixture, bool javaScript = true) =>
        fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString(), JavaScriptEnabled = javaScript });

    /// <summary>A second context with the same session cookie (for example one with JavaScript switched off).</summary>
    public static async Task<IBrowserContext> SameSessionAsync(BrowserFixture fixture, IBrowserContext signedIn, bool javaScript) =>
        await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,
            StorageState = await signedIn.StorageStateAsync(),
        });

    /// <summary>Collects every console message about the Content-Security-Policy (a blocked inline script shows up here).</summary>
    public static List<string> WatchCsp(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        return violations;
    }

    public static async Task<IReadOnlyList<AxeViolation>> SeriousAxeViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol rather than a <script> tag, so the page's own CSP stays in force.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "axe.min.js")));
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document)).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length }))");
        return JsonSerializer.Deserialize<List<AxeViolation>>(json.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            .Where(v => v.IsSeriousOrCritical).ToList();
    }

    public static Task<ITrackedSession> TrackedAsync(BrowserFixture fixture, Func<Task> action) =>
        fixture.Services.GetRequiredService<IHost>().TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .IgnoreMessagesMatchingType(type => type.FullName == "Portal.Notifications.Delivery.SendEmail")
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(_ => action()));

    private static Task SignInAsync(IBrowserContext context, string email) =>
        SendAsync(context, "POST", "/api/account/sign-in", new { email, password = Password }, 200);

    /// <summary>
    /// An API call in the context's session. A sign-in types the login's authenticator code when the tests enrolled it,
    /// and a staff login without a second factor sets one up right after (as its first sign-in asks), so the context's
    /// session is proved (<see cref="SecondFactors"/>).
    /// </summary>
    public static async Task<JsonElement> SendAsync(IBrowserContext context, string method, string url, object? body, int status)
    {
        var signIn = url == "/api/account/sign-in" && body is not null;
        var email = signIn ? JsonSerializer.SerializeToElement(body).GetProperty("email").GetString()! : null;
        if (signIn && BrowserFixture.Current is { } fixture)
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(body))!;
            if (!fields.ContainsKey("code") && await SecondFactors.CodeAsync(fixture.Services, email!) is { } code)
            {
                fields["code"] = code;
                body = fields;
            }
        }
        var answer = await SendOnceAsync(context, method, url, body, status);
        if (signIn && answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("secondFactorRequired", out var required)
            && required.GetBoolean())
            await EnrolAsync(context, email!);
        return answer;
    }

    /// <summary>Sets up an authenticator app for the context's login through the API and remembers it; the session is proved.</summary>
    public static async Task EnrolAsync(IBrowserContext context, string email)
    {
        var services = BrowserFixture.Current!.Services;
        var secret = (await SendOnceAsync(context, "POST", "/api/account/authenticator", null, 200)).GetProperty("secret").GetString()!;
        var enabled = await SendOnceAsync(context, "POST", "/api/account/authenticator/confirm",
            new { code = SecondFactors.EnrolmentCode(services, secret) }, 200);
        SecondFactors.Remember(email, secret, enabled.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!));
    }

    /// <summary>
    /// Signs in on the sign-in page as a person does: email and password, then the authenticator code when asked; a staff
    /// login without a second factor is sent to set one up, and does it on the page (the key shown, a code typed, the
    /// recovery codes acknowledged) before it lands where it was going.
    /// </summary>
    public static async Task SignInOnPageAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        var services = BrowserFixture.Current!.Services;
        // The form's answer is the page again (asking for the code) or a redirect onwards: wait for it, then look.
        if (await SubmitAsync(page) == 200 && await page.GetByLabel("Authenticator code or recovery code").CountAsync() > 0)
        {
            // The page asks again for the password with the code (it never sends a password back to the browser).
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByLabel("Authenticator code or recovery code").FillAsync((await SecondFactors.CodeAsync(services, email))!);
            await SubmitAsync(page);
        }
        if (new Uri(page.Url).AbsolutePath == "/account/second-factor") await EnrolOnPageAsync(page, email);
    }

    private static async Task<int> SubmitAsync(IPage page)
    {
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/signin");
        if (response.Status == 302) await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/signin");
        await page.WaitForLoadStateAsync();
        return response.Status;
    }

    /// <summary>On the enrolment page: sets up an authenticator app from the key shown, then continues past the codes.</summary>
    public static async Task EnrolOnPageAsync(IPage page, string email)
    {
        var services = BrowserFixture.Current!.Services;
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
        var secret = (await page.Locator("[data-totp-secret]").TextContentAsync())!.Trim();
        await page.GetByLabel("Code from the app").FillAsync(SecondFactors.EnrolmentCode(services, secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        await page.Locator("[data-recovery-codes]").WaitForAsync();
        var codes = await page.Locator("[data-recovery-codes] code").AllTextContentsAsync();
        SecondFactors.Remember(email, secret, codes);
        await page.GetByRole(AriaRole.Link, new() { Name = "I saved them, continue" }).ClickAsync();
        await page.WaitForLoadStateAsync();
    }

    private static async Task<JsonElement> SendOnceAsync(IBrowserContext context, string method, string url, object? body, int status)
    {
        var options = new APIRequestContextOptions { Method = method, Headers = new Dictionary<string, string> { ["Accept"] = "application/json" } };
        if (body is not null) options.DataObject = body;
        var response = await context.APIRequest.FetchAsync(url, options);
        var text = await response.TextAsync();
        response.Status.ShouldBe(status, $"{method} {url}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Support creates a practice and adds a clinician with a password who has never signed in.</summary>
    public static async Task<string> NewClinicianWithoutFactorAsync(BrowserFixture fixture)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var clinicianEmail = $"clinician-{unique}@portal.test";
        await using (var session = fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support",
                TimeProvider.System);
        await using var support = await NewContextAsync(fixture);
        await SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = Password }, 200);
        System.Text.Json.JsonElement practice = default;
        await TrackedAsync(fixture, async () => practice = await SendAsync(support, "POST",
            "/api/support/practices", new { practiceName = $"Harbor Counseling {unique}", providerName = "Olive Owner",
                providerEmail = $"owner-{unique}@portal.test" }, 201));
        System.Text.Json.JsonElement added = default;
        await TrackedAsync(fixture, async () => added = await SendAsync(support, "POST",
            $"/api/support/practices/{practice.GetProperty("practiceId").GetGuid()}/providers",
            new { name = "Chris Clinician", email = clinicianEmail, role = "Clinician" }, 201));
        var clinicianId = added.GetProperty("providerId").GetGuid();
        await TrackedAsync(fixture, () => SendAsync(support, "PUT",
            $"/api/support/providers/{clinicianId}/portal-access", new { enabled = true }, 200));
        await SendAsync(support, "PUT", $"/api/support/providers/{clinicianId}/password", new { password = Password }, 204);
        return clinicianEmail;
    }
}
