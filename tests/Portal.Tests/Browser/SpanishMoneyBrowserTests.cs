using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A Spanish-speaking client on a phone (390×844) adds her insurance (an insurer not in the list) and sets up autopay:
/// every label, hint, message of the card form's script and confirmation in Spanish, axe clean. Screenshots are saved
/// under TestResults/screenshots (spanish-money-*.png) for review.
/// </summary>
public sealed class SpanishMoneyBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_Spanish_speaking_client_adds_her_insurance_and_sets_up_autopay_in_Spanish_on_a_phone() => await Run(async _ =>
    {
        await using var signedIn = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Lucía", "Ramírez");
        var client = signedIn.Client;
        await BrowserJourney.SendAsync(client, "PUT", "/api/portal/language", new { language = "es" }, 200);
        var page = await client.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync("/portal/insurance");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Su seguro");
        var primary = page.Locator("#primary-plan");
        // The insurer's name field appears only once "Other" is chosen, labelled in Spanish.
        await primary.GetByLabel("Compañía de seguro", new() { Exact = true }).SelectOptionAsync("other");
        await primary.GetByLabel("Nombre de la compañía de seguro (solo si eligió Otra)").FillAsync("Seguros del Valle");
        await primary.GetByLabel("Nombre del plan").FillAsync("Plan Familiar");
        await primary.GetByLabel("Número de miembro").FillAsync("SV-20931");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await Screenshot(page, "insurance-form-390");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            primary.GetByRole(AriaRole.Button, new() { Name = "Guardar seguro principal" }).ClickAsync());
        await Expect(page.GetByRole(AriaRole.Status))
            .ToHaveTextAsync("Se guardó su seguro principal. Se le avisó a su proveedor, que lo revisará.");
        await Expect(primary.Locator(".review-awaiting")).ToHaveTextAsync("Su proveedor todavía no revisó este plan.");
        await Expect(page.Locator(".insurance-history")).ToContainTextAsync("Agregó el plan principal (Seguros del Valle, Plan Familiar)");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await Screenshot(page, "insurance-saved-390");

        await page.GotoAsync("/portal/autopay");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pago automático");
        // The card form's script speaks the page's language: its checks before anything is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Inscribirse en el pago automático" }).ClickAsync();
        await Expect(page.Locator("#card-form-errors")).ToContainTextAsync("Escriba el número de su tarjeta.");
        await Expect(page.Locator("#card-form-errors")).ToContainTextAsync("Acepte la autorización de pago automático para guardar su tarjeta.");
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await Screenshot(page, "autopay-form-390");

        var expiry = DateTime.UtcNow.AddYears(2);
        await page.GetByLabel("Número de tarjeta").FillAsync("4242424242424242");
        await page.GetByLabel("Mes de vencimiento").SelectOptionAsync(expiry.Month.ToString());
        await page.GetByLabel("Año de vencimiento").SelectOptionAsync(expiry.Year.ToString());
        await page.GetByLabel("Código de seguridad").FillAsync("123");
        await page.GetByLabel("Nombre en la tarjeta").FillAsync("Lucia Ramirez");
        await page.GetByLabel("Código postal de facturación").FillAsync("97201");
        await page.GetByLabel("Leí la autorización de pago automático y estoy de acuerdo").CheckAsync();
        await BrowserJourney.TrackedAsync(Fixture, () =>
            page.GetByRole(AriaRole.Button, new() { Name = "Inscribirse en el pago automático" }).ClickAsync());
        await page.WaitForURLAsync("**/portal/autopay?done=enrolled", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Está inscrito(a) en el pago automático. Se le avisó a su proveedor.");
        await Expect(page.Locator(".card-on-file")).ToContainTextAsync("Visa terminada en 4242");
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth")).ShouldBeFalse();
        (await BrowserJourney.SeriousAxeViolationsAsync(page)).ShouldBeEmpty();
        await Screenshot(page, "autopay-enrolled-390");
    });

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"spanish-money-{name}.png"), FullPage = true });
    }
}
