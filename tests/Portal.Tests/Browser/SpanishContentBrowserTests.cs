using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// A practice's content in Spanish: the provider adds a Spanish version of a consent and of an intake form on their
/// pages and publishes them; a client who reads Spanish signs the Spanish consent and fills the Spanish form on a phone
/// (390×844); the provider's signed copy says which language was signed. Screenshots are saved under
/// TestResults/screenshots (spanish-content-*.png).
/// </summary>
public sealed class SpanishContentBrowserTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string IntakeSchema = """
        {
          "sections": [
            {
              "key": "about", "title": "About you",
              "fields": [
                { "key": "has_insurance", "label": "Do you have health insurance?", "help": "Your card says.", "type": "YesNo", "required": true },
                { "key": "payer", "label": "Insurance company", "type": "SingleChoice", "required": true, "options": ["Aetna", "Other"],
                  "showWhen": { "field": "has_insurance", "value": "yes" } }
              ]
            }
          ]
        }
        """;

    [Fact]
    public async Task A_Spanish_speaking_client_signs_the_practice_s_Spanish_consent_and_fills_its_Spanish_intake_form_on_a_phone() =>
        await Run(async _ =>
    {
        await using var people = await BrowserJourney.ProviderAndClientSignedInAsync(Fixture, "Lucía", "Ramírez");
        await BrowserJourney.SendAsync(people.Client, "PUT", "/api/portal/language", new { language = "es" }, 200);
        var console = await people.Provider.NewPageAsync();
        await console.SetViewportSizeAsync(1280, 800);

        // The consent: written in English, then its Spanish version on the same page, published together.
        await console.GotoAsync("/console/documents");
        await console.GetByLabel("Title", new() { Exact = true }).FillAsync("Consent to treatment");
        await console.GetByLabel("Text (Markdown)").FillAsync("I agree to **treatment** by this practice.");
        await console.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
        await Expect(console).ToHaveURLAsync(new Regex("/console/documents/[0-9a-f-]{36}$"));
        await console.GetByLabel("Spanish title").FillAsync("Consentimiento para el tratamiento");
        await console.GetByLabel("Spanish text (Markdown)").FillAsync("Acepto el **tratamiento** de este consultorio.");
        await console.GetByRole(AriaRole.Button, new() { Name = "Add Spanish version" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the Spanish version.");
        await Expect(console.GetByRole(AriaRole.Button, new() { Name = "Save Spanish version" })).ToBeVisibleAsync();
        await PublishAsync(console, "Publish as version 1", "Published version 1.");
        await Expect(console.Locator("[data-version-translation='es']")).ToContainTextAsync("Spanish:");
        await Screenshot(console, "document-editor-1280");

        // The intake form: its Spanish words field by field, beside the English; choice values stay English.
        await console.GotoAsync("/console/forms");
        var formId = (await BrowserJourney.SendAsync(people.Provider, "POST", "/api/forms",
            new { title = "New client intake", schema = System.Text.Json.JsonDocument.Parse(IntakeSchema).RootElement }, 201))
            .GetProperty("formId").GetGuid();
        await console.GotoAsync($"/console/forms/{formId}");
        await console.GetByRole(AriaRole.Link, new() { Name = "Add Spanish version" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Spanish version of New client intake");
        await console.Locator("#title").FillAsync("Admisión de clientes nuevos");
        await console.Locator("#s-about").FillAsync("Sobre usted");
        await console.Locator("#l-has_insurance").FillAsync("¿Tiene seguro médico?");
        await console.Locator("#h-has_insurance").FillAsync("Lo dice su tarjeta.");
        await console.Locator("#l-payer").FillAsync("Compañía de seguros");
        await console.Locator("#o-payer-0").FillAsync("Aetna");
        await console.Locator("#o-payer-1").FillAsync("Otra");
        await console.GetByRole(AriaRole.Button, new() { Name = "Add Spanish version" }).ClickAsync();
        await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved the Spanish version.");
        await Screenshot(console, "form-translation-1280");
        (await BrowserJourney.SeriousAxeViolationsAsync(console)).ShouldBeEmpty();
        await console.GotoAsync($"/console/forms/{formId}");
        await PublishAsync(console, "Publish as version 1", "Published version 1.");

        // Lucía, on her phone: the consent in Spanish, signed in Spanish.
        var phone = await people.Client.NewPageAsync();
        await phone.SetViewportSizeAsync(390, 844);
        await phone.GotoAsync("/portal/documents");
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Políticas y formularios de consentimiento");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Consentimiento para el tratamiento" }).ClickAsync();
        await Expect(phone.Locator(".document-body h1")).ToHaveTextAsync("Consentimiento para el tratamiento");
        await Expect(phone.Locator(".document-body")).ToHaveAttributeAsync("lang", "es");
        await Expect(phone.GetByText("Acepto usar registros y firmas electrónicos")).ToBeVisibleAsync();
        (await BrowserJourney.SeriousAxeViolationsAsync(phone)).ShouldBeEmpty();
        await Screenshot(phone, "consent-390");
        await phone.GetByLabel("Acepto firmar electrónicamente.").CheckAsync();
        await phone.GetByLabel("Escriba su nombre completo para firmar").FillAsync("Lucía Ramírez");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            phone.GetByRole(AriaRole.Button, new() { Name = "Firmar", Exact = true }).ClickAsync());
        await phone.WaitForURLAsync("**/portal/documents/signatures/**", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Firma electrónica" })).ToBeVisibleAsync();
        await Expect(phone.Locator("[data-language-signed]")).ToHaveTextAsync("Español");
        var signatureUrl = phone.Url;
        await Screenshot(phone, "signed-copy-390");

        // The Spanish intake form: Spanish words, conditions as in English, her choice kept as its English value.
        await phone.GotoAsync("/portal/forms");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Admisión de clientes nuevos" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Admisión de clientes nuevos");
        await Expect(phone.GetByText("Lo dice su tarjeta.")).ToBeVisibleAsync();
        await Expect(phone.GetByText("Compañía de seguros")).ToBeHiddenAsync();
        await phone.GetByLabel("Sí").CheckAsync();
        await Expect(phone.GetByText("Compañía de seguros (obligatoria)")).ToBeVisibleAsync();
        await phone.GetByLabel("Otra").CheckAsync();
        await Expect(phone.Locator("#draft-status")).ToHaveTextAsync("Borrador guardado.");
        (await BrowserJourney.SeriousAxeViolationsAsync(phone)).ShouldBeEmpty();
        await Screenshot(phone, "intake-390");
        await BrowserJourney.TrackedAsync(Fixture, () =>
            phone.GetByRole(AriaRole.Button, new() { Name = "Enviar mis respuestas" }).ClickAsync());
        await Expect(phone.GetByRole(AriaRole.Status)).ToHaveTextAsync("Sus respuestas se enviaron a su proveedor.");
        await Screenshot(phone, "intake-sent-390");

        // The provider: the signed copy says Spanish, the answers are the English choices, answered in Spanish.
        await console.GotoAsync(signatureUrl.Replace("/portal/documents/signatures/", "/console/signatures/"));
        await Expect(console.Locator("[data-language-signed]")).ToHaveTextAsync("Spanish");
        await Expect(console.Locator(".document-body h1")).ToHaveTextAsync("Consentimiento para el tratamiento");
        await Screenshot(console, "provider-signed-copy-1280");
        var responses = await BrowserJourney.SendAsync(people.Provider, "GET", $"/api/clients/{people.ClientId}/form-responses", null, 200);
        var responseId = responses[0].GetProperty("responseId").GetGuid();
        responses[0].GetProperty("language").GetString().ShouldBe("es");
        await console.GotoAsync($"/console/form-responses/{responseId}");
        await Expect(console.Locator("[data-answered-in]")).ToHaveTextAsync("Answered in Spanish.");
        await Expect(console.GetByText("Other", new() { Exact = true })).ToBeVisibleAsync();
    });

    private async Task PublishAsync(IPage console, string button, string message) =>
        await BrowserJourney.TrackedAsync(Fixture, async () =>
        {
            await console.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Expect(console.GetByRole(AriaRole.Status)).ToContainTextAsync(message);
        });

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"spanish-content-{name}.png"), FullPage = true });
    }
}
