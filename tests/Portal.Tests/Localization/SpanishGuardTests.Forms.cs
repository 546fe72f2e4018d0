using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Localization;

/// <summary>
/// The Forms client pages with something on them: documents to sign (the list, one to sign, the signed copy) and intake
/// forms (the list, one to fill), with the practice's Spanish versions. The practice's own words are compared like any
/// other text (English beside Spanish), except the text a client signed, which a signed copy shows as signed.
/// </summary>
public sealed partial class SpanishGuardTests
{
    private sealed record FormsGuardSaved(Guid DocumentId, Guid FormId, int Revision);
    private sealed record FormsGuardShown(int Version, string ContentHash, string ConsentText);
    private sealed record FormsGuardSigned(Guid SignatureId);

    public static TheoryData<string> FormsClientPages() =>
        ["/portal/documents", "/portal/documents/{unsigned}", "/portal/documents/signatures/{signature}", "/portal/forms", "/portal/forms/{form}"];

    [Theory]
    [MemberData(nameof(FormsClientPages))]
    public async Task A_Forms_client_page_in_Spanish_has_no_text_left_in_English(string page)
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        var signedId = await SpanishDocumentAsync(provider, "Privacy policy", "Política de privacidad");
        var unsignedId = await SpanishDocumentAsync(provider, "Telehealth consent", "Consentimiento de telesalud");
        var formId = await SpanishFormAsync(provider);

        await ChooseLanguageAsync(client, "es");
        var shown = await SendJsonAsync<FormsGuardShown>(client, HttpMethod.Get, $"/api/portal/documents/{signedId}", null, 200);
        var signed = await SendJsonAsync<FormsGuardSigned>(client, HttpMethod.Post, $"/api/portal/documents/{signedId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = "Lucía Ramírez", agreeToSignElectronically = true }, 201);
        var url = page.Replace("{unsigned}", unsignedId.ToString()).Replace("{signature}", signed.SignatureId.ToString())
            .Replace("{form}", formId.ToString());

        await ChooseLanguageAsync(client, "en");
        var english = await PageAsync(client, url);
        await ChooseLanguageAsync(client, "es");
        var spanish = await PageAsync(client, url);

        spanish.ShouldContain("lang=\"es\"");
        // What she signed reads the same in both (the Spanish text and consent, as signed); "No" and "Aetna" are Spanish too.
        string[] signedText = ["Política de privacidad", "Guardamos", "sus", "registros en privado.", shown.ConsentText];
        LeftInEnglish(english, spanish, [provider.PracticeName, client.FirstName, client.LastName, client.Email, provider.Name,
                "Lucía Ramírez", "No", "Aetna", .. signedText])
            .ShouldBeEmpty($"{page} shows English to a Spanish reader");
    }

    private async Task<Guid> SpanishDocumentAsync(ProviderActor provider, string title, string spanishTitle)
    {
        var saved = await SendJsonAsync<FormsGuardSaved>(provider, HttpMethod.Post, "/api/documents",
            new { title, markdown = "We keep **your** records private." }, 201);
        var translated = await SendJsonAsync<FormsGuardSaved>(provider, HttpMethod.Put, $"/api/documents/{saved.DocumentId}/translations/es",
            new { title = spanishTitle, markdown = "Guardamos **sus** registros en privado.", revision = saved.Revision }, 200);
        await SendJsonAsync<object>(provider, HttpMethod.Post, $"/api/documents/{saved.DocumentId}/publish",
            new { revision = translated.Revision, requireExistingSignersToSignAgain = false }, 200);
        return saved.DocumentId;
    }

    private async Task<Guid> SpanishFormAsync(ProviderActor provider)
    {
        var schema = new
        {
            sections = new object[]
            {
                new { key = "about", title = "About you", fields = new object[]
                {
                    new { key = "has_insurance", label = "Do you have health insurance?", help = "Your card says.", type = "YesNo", required = true },
                    new { key = "payer", label = "Insurance company", type = "SingleChoice", required = true,
                        options = new[] { "Aetna", "Other" } },
                    new { key = "notes", label = "Anything else?", type = "LongText", required = false },
                } },
            },
        };
        var saved = await SendJsonAsync<FormsGuardSaved>(provider, HttpMethod.Post, "/api/forms", new { title = "New client intake", schema }, 201);
        var translated = await SendJsonAsync<FormsGuardSaved>(provider, HttpMethod.Put, $"/api/forms/{saved.FormId}/translations/es", new
        {
            title = "Admisión de clientes nuevos",
            sections = new Dictionary<string, string> { ["about"] = "Sobre usted" },
            fields = new Dictionary<string, object>
            {
                ["has_insurance"] = new { label = "¿Tiene seguro médico?", help = "Lo dice su tarjeta." },
                ["payer"] = new { label = "Compañía de seguros", options = new Dictionary<string, string> { ["Aetna"] = "Aetna", ["Other"] = "Otra" } },
                ["notes"] = new { label = "¿Algo más?" },
            },
            revision = saved.Revision,
        }, 200);
        await SendJsonAsync<object>(provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish", new { revision = translated.Revision }, 200);
        return saved.FormId;
    }

    private async Task<T> SendJsonAsync<T>(ISignedIn actor, HttpMethod method, string url, object? body, int status)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.As(actor);
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (method == HttpMethod.Put) s.Put.Json(body!).ToUrl(url);
            else s.Post.Json(body!).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return (await result.ReadAsJsonAsync<T>())!;
    }
}
