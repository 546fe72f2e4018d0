using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Marten;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A Spanish-speaking client on a phone (390×844): the practice adds her in Spanish, she activates her account from the
/// invitation and answers the PHQ-9 in the publisher's Spanish wording. Screenshots of each step are saved under
/// TestResults/screenshots (spanish-*.png) for review.
/// </summary>
public sealed class SpanishClientBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string Password = BrowserJourney.Password;

    [Fact]
    public async Task A_Spanish_speaking_client_activates_her_account_and_answers_the_PHQ_9_in_Spanish_on_a_phone() => await Run(async page =>
    {
        var (provider, clientId, clientEmail, activation) = await SpanishClientInvitedAsync();
        await page.SetViewportSizeAsync(390, 844);

        // The invitation's link opens the activation page in her language, whatever the phone's browser says.
        await page.GotoAsync(activation);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Active su cuenta del portal");
        await Screenshot(page, "activation-390");
        await page.GetByLabel("Su fecha de nacimiento").FillAsync("1991-06-12");
        await page.GetByLabel("Elija una contraseña").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Activar mi cuenta" }).ClickAsync();
        // The address is the proof; the page's own checks below wait for what it shows (a loaded machine once held the
        // load event past 30 s with the page already drawn).
        await page.WaitForURLAsync("**/portal?activated=1", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Le damos la bienvenida, Lucía Ramírez");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Su cuenta está activa");
        await Screenshot(page, "portal-home-390");

        await page.GotoAsync("/portal/assessments/phq9");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("PHQ-9, cuestionario sobre la salud del paciente");
        await Expect(page.GetByText("Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?"))
            .ToBeVisibleAsync();
        await Screenshot(page, "phq9-390");
        var items = page.Locator("fieldset.item");
        await Expect(items).ToHaveCountAsync(9);
        for (var i = 0; i < 9; i++)
            await items.Nth(i).GetByLabel(i < 2 ? "Varios días" : "Ningún día").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            page.GetByRole(AriaRole.Button, new() { Name = "Enviar mis respuestas" }).ClickAsync());
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Gracias. Sus respuestas se enviaron a su proveedor.");
        await Screenshot(page, "phq9-sent-390");

        // The provider reads the score as always, with the language it was answered in.
        var console = await provider.NewPageAsync();
        await console.GotoAsync($"/console/clients/{clientId}");
        await Expect(console.Locator("td[data-answered-in]").First).ToHaveTextAsync("Spanish");
        await Expect(console.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await provider.DisposeAsync();

        // The same pages at desktop width: her account page, and the sign-in page a Spanish browser opens signed out.
        await page.SetViewportSizeAsync(1280, 800);
        await page.GotoAsync("/portal/account");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Su cuenta");
        await Screenshot(page, "account-1280");
        await using var visitor = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.BaseAddress.ToString(),
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = "es-MX,es;q=0.9" },
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var signIn = await visitor.NewPageAsync();
        await signIn.GotoAsync("/signin");
        await Expect(signIn.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Iniciar sesión");
        await Screenshot(signIn, "signin-1280");
        // The switch takes the visitor to English and back to the page they were on.
        await signIn.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Expect(signIn.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sign in");
        signIn.Url.ShouldEndWith("/signin");
        _ = clientEmail;
    });

    private async Task<(IBrowserContext Provider, Guid ClientId, string Email, string Activation)> SpanishClientInvitedAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var supportEmail = $"support-{unique}@portal.test";
        var providerEmail = $"provider-{unique}@portal.test";
        var clientEmail = $"lucia-{unique}@portal.test";
        await using (var session = Fixture.Services.GetRequiredService<IDocumentStore>().LightweightSession())
            await Portal.Invitations.Support.SupportAccounts.EnsureAsync(session, supportEmail, Password, "Sam Support",
                Fixture.Services.GetRequiredService<TimeProvider>());

        var support = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(support, "POST", "/api/account/sign-in", new { email = supportEmail, password = Password }, 200);
        JsonElement practice = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => practice = await BrowserJourney.SendAsync(support, "POST",
            "/api/support/practices", new { practiceName = $"Consultorio Harbor {unique}", providerName = "Pat Provider", providerEmail }, 201));
        var providerId = practice.GetProperty("providerId").GetGuid();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/portal-access", new { enabled = true }, 200));
        await BrowserJourney.SendAsync(support, "PUT", $"/api/support/providers/{providerId}/password", new { password = Password }, 204);
        await support.DisposeAsync();

        var provider = await BrowserJourney.NewContextAsync(Fixture);
        await BrowserJourney.SendAsync(provider, "POST", "/api/account/sign-in", new { email = providerEmail, password = Password }, 200);
        JsonElement added = default;
        await BrowserJourney.TrackedAsync(Fixture, async () => added = await BrowserJourney.SendAsync(provider, "POST", "/api/console/clients",
            new { firstName = "Lucía", lastName = "Ramírez", email = clientEmail, dateOfBirth = new DateOnly(1991, 6, 12), language = "es" }, 201));
        var clientId = added.GetProperty("clientId").GetGuid();
        Fixture.Mail.Clear();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            BrowserJourney.SendAsync(provider, "POST", $"/api/console/clients/{clientId}/invitation", null, 200));
        var invitation = (await Fixture.Mail.WaitForAsync()).Single(m => m.To.Mailboxes.Any(b => b.Address == clientEmail));
        invitation.Subject!.ShouldContain("le invitó a su portal de clientes");
        // The browser here is set to English: the link names her language, and the pages it opens follow it.
        var url = new Uri(MailCapture.LinkIn(invitation)!);
        url.Query.ShouldContain("lang=es");
        return (provider, clientId, clientEmail, url.PathAndQuery);
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"spanish-{name}.png"), FullPage = true });
    }
}
