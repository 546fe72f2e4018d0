using Marten;
using Portal.Contracts;
using Portal.Forms.Documents;
using Portal.Forms.IntakeForms;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

/// <summary>
/// Practice content in two languages: a practice adds a Spanish version of a document or an intake form; a client who
/// reads Spanish gets it (English where there is none); the signature records the language and hash of the text signed,
/// the response the language answered in; answers keep the English keys and choice values.
/// </summary>
public sealed class SpanishContentTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Saved(Guid DocumentId, int Revision);
    private sealed record FormSaved(Guid FormId, int Revision);
    private sealed record Published(Guid DocumentId, int Version, string ContentHash, bool RequireResign);
    private sealed record Shown(Guid DocumentId, int Version, string Title, string Html, string ContentHash, string ConsentText,
        string Language);
    private sealed record Signed(Guid SignatureId, Guid DocumentId, int Version, string ContentHash);
    private sealed record TranslationView(string Title, string ContentHash);
    private sealed record VersionView(int Number, string ContentHash, Dictionary<string, TranslationView> Translations);
    private sealed record Detail(int Revision, bool HasUnpublishedChanges, List<VersionView> Versions,
        Dictionary<string, DocumentTranslation> Translations);
    private sealed record SignatureView(string ContentHash, string DocumentTitle, string? Language, string ConsentText);
    private sealed record Copy(SignatureView Signature, string Html, bool ContentVerified);
    private sealed record FieldView(string Key, string Label, string? Help, List<string> Options);
    private sealed record SectionView(string Key, string Title, List<FieldView> Fields);
    private sealed record SchemaView(List<SectionView> Sections);
    private sealed record ToFill(Guid FormId, int Version, string Title, SchemaView Schema, string Language);
    private sealed record Submitted(Guid ResponseId);
    private sealed record AnsweredField(string Key, string Label, List<string> Answer);
    private sealed record AnsweredSection(string Title, List<AnsweredField> Fields);
    private sealed record ResponseDetail(List<AnsweredSection> Sections, string Language);

    private const string SpanishTitle = "Política de privacidad";
    private const string SpanishText = "Guardamos **sus** registros en privado.";

    private static object Spanish(int revision, string title = SpanishTitle, string markdown = SpanishText) =>
        new { title, markdown, revision };

    private async Task<(ProviderActor Provider, Guid DocumentId, int Revision)> Policy(ProviderActor? provider = null)
    {
        provider ??= await Host.NewProviderAsync();
        var saved = await Json<Saved>(provider, HttpMethod.Post, "/api/documents",
            new { title = "Privacy policy", markdown = "We keep **your** records private." }, 201);
        return (provider, saved.DocumentId, saved.Revision);
    }

    private async Task<int> PublishDocument(ProviderActor provider, Guid documentId, bool resign = false)
    {
        var detail = await Json<Detail>(provider, HttpMethod.Get, $"/api/documents/{documentId}", null, 200);
        await Tracked(provider, HttpMethod.Post, $"/api/documents/{documentId}/publish",
            new { revision = detail.Revision, requireExistingSignersToSignAgain = resign }, 200);
        return detail.Revision + 1;
    }

    private async Task<ClientActor> SpanishReader(ProviderActor provider, string first = "Lucía", string last = "Ramírez")
    {
        var client = await Host.NewClientWithAccountAsync(provider, first, last);
        await Tracked(client, HttpMethod.Put, "/api/portal/language", new { language = "es" }, 200);
        return client;
    }

    private async Task<(Signed Signed, Shown Shown)> Sign(ClientActor client, Guid documentId)
    {
        var shown = await Json<Shown>(client, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        var signed = await Json<Signed>(client, HttpMethod.Post, $"/api/portal/documents/{documentId}/signatures",
            new { version = shown.Version, contentHash = shown.ContentHash, fullName = $"{client.FirstName} {client.LastName}",
                agreeToSignElectronically = true }, 201);
        return (signed, shown);
    }

    [Fact]
    public async Task A_Spanish_reader_signs_the_practice_s_Spanish_version_and_the_signature_records_its_language_and_hash()
    {
        var (provider, documentId, revision) = await Policy();
        await Json<Saved>(provider, HttpMethod.Put, $"/api/documents/{documentId}/translations/es", Spanish(revision), 200);
        var detail = await Json<Detail>(provider, HttpMethod.Get, $"/api/documents/{documentId}", null, 200);
        detail.Translations["es"].Title.ShouldBe(SpanishTitle);
        await PublishDocument(provider, documentId);
        var version = (await Json<Detail>(provider, HttpMethod.Get, $"/api/documents/{documentId}", null, 200)).Versions.Single();
        var spanishHash = version.Translations["es"].ContentHash;
        spanishHash.ShouldNotBe(version.ContentHash);

        var lucia = await SpanishReader(provider);
        var (signed, shown) = await Sign(lucia, documentId);
        shown.Language.ShouldBe("es");
        shown.Title.ShouldBe(SpanishTitle);
        shown.Html.ShouldContain("<strong>sus</strong>");
        shown.ContentHash.ShouldBe(spanishHash);
        Sha256(shown.Html).ShouldBe(spanishHash);
        shown.ConsentText.ShouldStartWith("Acepto usar registros y firmas electrónicos");
        signed.ContentHash.ShouldBe(spanishHash);

        await using (var session = OpenSession())
        {
            var record = (await session.Events.QueryRawEventDataOnly<DocumentSigned>().ToListAsync()).ShouldHaveSingleItem();
            record.Language.ShouldBe("es");
            record.ContentHash.ShouldBe(spanishHash);
            record.DocumentTitle.ShouldBe(SpanishTitle);
            record.ConsentText.ShouldBe(shown.ConsentText);
        }

        // The provider's copy: the Spanish text signed, verified against the hash taken at signing, and said to be Spanish.
        var copy = await Json<Copy>(provider, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 200);
        copy.Signature.Language.ShouldBe("es");
        copy.Html.ShouldBe(shown.Html);
        copy.ContentVerified.ShouldBeTrue();
        var page = await (await Send(provider, HttpMethod.Get, $"/console/signatures/{signed.SignatureId}", null, 200)).ReadAsTextAsync();
        page.ShouldContain("<dd data-language-signed>Spanish</dd>");
        page.ShouldContain(spanishHash);
    }

    [Fact]
    public async Task A_client_who_reads_English_or_a_document_without_a_Spanish_version_gets_the_English_text()
    {
        var (provider, translated, revision) = await Policy();
        await Json<Saved>(provider, HttpMethod.Put, $"/api/documents/{translated}/translations/es", Spanish(revision), 200);
        await PublishDocument(provider, translated);
        var (_, englishOnly, _) = await Policy(provider);
        await PublishDocument(provider, englishOnly);

        var casey = await Host.NewClientWithAccountAsync(provider);
        var english = await Json<Shown>(casey, HttpMethod.Get, $"/api/portal/documents/{translated}", null, 200);
        english.Language.ShouldBe("en");
        english.Title.ShouldBe("Privacy policy");
        english.ConsentText.ShouldStartWith("I agree to use electronic records");

        var lucia = await SpanishReader(provider);
        var fallback = await Json<Shown>(lucia, HttpMethod.Get, $"/api/portal/documents/{englishOnly}", null, 200);
        fallback.Language.ShouldBe("en");
        fallback.Title.ShouldBe("Privacy policy");
        var (signed, _) = await Sign(lucia, englishOnly);
        var copy = await Json<Copy>(provider, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 200);
        copy.Signature.Language.ShouldBe("en");
        copy.ContentVerified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_Spanish_version_added_or_changed_after_a_client_signed_does_not_change_what_they_signed()
    {
        var (provider, documentId, revision) = await Policy();
        await Json<Saved>(provider, HttpMethod.Put, $"/api/documents/{documentId}/translations/es", Spanish(revision), 200);
        revision = await PublishDocument(provider, documentId);
        var lucia = await SpanishReader(provider);
        var (signed, shown) = await Sign(lucia, documentId);

        // Unpublished: nothing reaches the client. Published as version 2 without asking to sign again: still signed.
        await Json<Saved>(provider, HttpMethod.Put, $"/api/documents/{documentId}/translations/es",
            Spanish(revision, "Política de privacidad (nueva)", "Un texto **nuevo**."), 200);
        (await Json<Shown>(lucia, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200)).Html.ShouldBe(shown.Html);
        await PublishDocument(provider, documentId);
        var latest = await Json<Shown>(lucia, HttpMethod.Get, $"/api/portal/documents/{documentId}", null, 200);
        latest.Version.ShouldBe(2);
        latest.Html.ShouldContain("<strong>nuevo</strong>");

        var copy = await Json<Copy>(provider, HttpMethod.Get, $"/api/signatures/{signed.SignatureId}", null, 200);
        copy.Html.ShouldBe(shown.Html);
        copy.Signature.ContentHash.ShouldBe(shown.ContentHash);
        copy.Signature.DocumentTitle.ShouldBe(SpanishTitle);
        copy.ContentVerified.ShouldBeTrue();
    }

    [Fact]
    public async Task A_Spanish_version_is_checked_like_the_English_one_and_names_the_field_at_fault()
    {
        var (provider, documentId, revision) = await Policy();
        var url = $"/api/documents/{documentId}/translations/es";
        (await (await Send(provider, HttpMethod.Put, url, Spanish(revision, title: ""), 400)).ReadAsTextAsync()).ShouldContain("\"title\"");
        (await (await Send(provider, HttpMethod.Put, url, Spanish(revision, markdown: ""), 400)).ReadAsTextAsync()).ShouldContain("\"markdown\"");
        (await (await Send(provider, HttpMethod.Put, url, Spanish(revision, title: new string('x', 201)), 400)).ReadAsTextAsync())
            .ShouldContain("\"title\"");
        foreach (var language in new[] { "fr", "en" })
            (await (await Send(provider, HttpMethod.Put, $"/api/documents/{documentId}/translations/{language}", Spanish(revision), 400))
                .ReadAsTextAsync()).ShouldContain("\"language\"");
        await Send(provider, HttpMethod.Put, url, Spanish(revision + 5), 409);

        var detail = await Json<Detail>(provider, HttpMethod.Get, $"/api/documents/{documentId}", null, 200);
        detail.Translations.ShouldBeEmpty();
    }

    [Fact]
    public async Task Another_practice_gets_404_and_front_desk_and_biller_get_403_for_Spanish_versions()
    {
        var (provider, documentId, revision) = await Policy();
        var formId = (await Json<FormSaved>(provider, HttpMethod.Post, "/api/forms", new { title = "Intake", schema = IntakeSchema }, 201)).FormId;
        var other = await Host.NewProviderAsync();
        await Send(other, HttpMethod.Put, $"/api/documents/{documentId}/translations/es", Spanish(revision), 404);
        await Send(other, HttpMethod.Put, $"/api/forms/{formId}/translations/es", SpanishWords(1), 404);
        foreach (var role in new[] { StaffRole.FrontDesk, StaffRole.Biller })
        {
            var member = await Host.NewMemberAsync(provider, role);
            await Send(member, HttpMethod.Put, $"/api/documents/{documentId}/translations/es", Spanish(revision), 403);
            await Send(member, HttpMethod.Put, $"/api/forms/{formId}/translations/es", SpanishWords(1), 403);
        }
        (await Json<Detail>(provider, HttpMethod.Get, $"/api/documents/{documentId}", null, 200)).Translations.ShouldBeEmpty();
    }

    private static object IntakeSchema => new
    {
        sections = new object[]
        {
            new { key = "about", title = "About you", fields = new object[]
            {
                new { key = "has_insurance", label = "Do you have health insurance?", help = "Your card says.", type = "YesNo", required = true },
                new { key = "payer", label = "Insurance company", type = "SingleChoice", required = true, options = new[] { "Aetna", "Other" },
                    showWhen = new { field = "has_insurance", value = "yes" } },
            } },
        },
    };

    private static object SpanishWords(int revision, string payerLabel = "Compañía de seguros", object? payerOptions = null) => new
    {
        title = "Admisión de clientes nuevos",
        sections = new Dictionary<string, string> { ["about"] = "Sobre usted" },
        fields = new Dictionary<string, object>
        {
            ["has_insurance"] = new { label = "¿Tiene seguro médico?", help = "Lo dice su tarjeta." },
            ["payer"] = new { label = payerLabel, options = payerOptions ?? new Dictionary<string, string> { ["Aetna"] = "Aetna", ["Other"] = "Otra" } },
        },
        revision,
    };

    private async Task<(ProviderActor Provider, Guid FormId)> TranslatedForm()
    {
        var provider = await Host.NewProviderAsync();
        var saved = await Json<FormSaved>(provider, HttpMethod.Post, "/api/forms", new { title = "New client intake", schema = IntakeSchema }, 201);
        var translated = await Json<FormSaved>(provider, HttpMethod.Put, $"/api/forms/{saved.FormId}/translations/es",
            SpanishWords(saved.Revision), 200);
        await Tracked(provider, HttpMethod.Post, $"/api/forms/{saved.FormId}/publish", new { revision = translated.Revision }, 200);
        return (provider, saved.FormId);
    }

    [Fact]
    public async Task A_Spanish_reader_fills_the_Spanish_form_and_the_answers_keep_the_English_keys_and_choices()
    {
        var (provider, formId) = await TranslatedForm();
        var lucia = await SpanishReader(provider);

        var form = await Json<ToFill>(lucia, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200);
        form.Language.ShouldBe("es");
        form.Title.ShouldBe("Admisión de clientes nuevos");
        form.Schema.Sections.Single().Title.ShouldBe("Sobre usted");
        var fields = form.Schema.Sections.Single().Fields;
        fields[0].Label.ShouldBe("¿Tiene seguro médico?");
        fields[0].Help.ShouldBe("Lo dice su tarjeta.");
        fields[1].Options.ShouldBe(["Aetna", "Other"]);

        // What is wrong is said in Spanish, with the Spanish label.
        var refused = await (await Send(lucia, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes" } }, 400)).ReadAsTextAsync();
        refused.ShouldContain("answers.payer");
        refused.ShouldContain("«Compañía de seguros» es obligatoria.");

        var sent = await Json<Submitted>(lucia, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "yes", payer = "Other" } }, 201);
        var response = await Json<ResponseDetail>(provider, HttpMethod.Get, $"/api/form-responses/{sent.ResponseId}", null, 200);
        response.Language.ShouldBe("es");
        var answered = response.Sections.Single().Fields;
        answered.Single(f => f.Key == "payer").Answer.ShouldBe(["Other"]);
        answered.Single(f => f.Key == "payer").Label.ShouldBe("Insurance company");
        var page = await (await Send(provider, HttpMethod.Get, $"/console/form-responses/{sent.ResponseId}", null, 200)).ReadAsTextAsync();
        page.ShouldContain("Answered in Spanish.");

        var casey = await Host.NewClientWithAccountAsync(provider);
        var english = await Json<ToFill>(casey, HttpMethod.Get, $"/api/portal/forms/{formId}", null, 200);
        english.Language.ShouldBe("en");
        english.Title.ShouldBe("New client intake");
        var mine = await Json<Submitted>(casey, HttpMethod.Post, $"/api/portal/forms/{formId}/responses",
            new { version = 1, answers = new { has_insurance = "no" } }, 201);
        (await Json<ResponseDetail>(provider, HttpMethod.Get, $"/api/form-responses/{mine.ResponseId}", null, 200)).Language.ShouldBe("en");
    }

    [Fact]
    public async Task The_Spanish_page_of_a_form_shows_the_Spanish_choice_labels_with_the_English_values()
    {
        var (provider, formId) = await TranslatedForm();
        var lucia = await SpanishReader(provider);
        var page = System.Net.WebUtility.HtmlDecode(
            await (await Send(lucia, HttpMethod.Get, $"/portal/forms/{formId}", null, 200)).ReadAsTextAsync());
        page.ShouldContain("<h1 lang=\"es\">Admisión de clientes nuevos</h1>");
        page.ShouldContain("value=\"Other\" /> Otra</label>");
        page.ShouldContain("¿Tiene seguro médico? (obligatoria)");
        page.ShouldContain("data-text-saved=\"Borrador guardado.\"");
    }

    [Fact]
    public async Task A_Spanish_version_of_a_form_must_give_every_label_help_and_choice_and_name_only_what_the_form_has()
    {
        var provider = await Host.NewProviderAsync();
        var saved = await Json<FormSaved>(provider, HttpMethod.Post, "/api/forms", new { title = "New client intake", schema = IntakeSchema }, 201);
        var url = $"/api/forms/{saved.FormId}/translations/es";

        var noLabel = await (await Send(provider, HttpMethod.Put, url, SpanishWords(saved.Revision, payerLabel: " "), 400)).ReadAsTextAsync();
        noLabel.ShouldContain("fields.payer.label");
        var missingChoice = await (await Send(provider, HttpMethod.Put, url,
            SpanishWords(saved.Revision, payerOptions: new Dictionary<string, string> { ["Aetna"] = "Aetna" }), 400)).ReadAsTextAsync();
        missingChoice.ShouldContain("fields.payer.options");
        missingChoice.ShouldContain("Other");
        var unknownChoice = await (await Send(provider, HttpMethod.Put, url, SpanishWords(saved.Revision,
            payerOptions: new Dictionary<string, string> { ["Aetna"] = "Aetna", ["Other"] = "Otra", ["Cigna"] = "Cigna" }), 400)).ReadAsTextAsync();
        unknownChoice.ShouldContain("fields.payer.options");
        var unknownField = await (await Send(provider, HttpMethod.Put, url, new
        {
            title = "Admisión", sections = new Dictionary<string, string> { ["about"] = "Sobre usted", ["elsewhere"] = "Otra" },
            fields = new Dictionary<string, object> { ["nope"] = new { label = "No existe" } }, revision = saved.Revision,
        }, 400)).ReadAsTextAsync();
        unknownField.ShouldContain("sections.elsewhere");
        unknownField.ShouldContain("fields.nope");
        unknownField.ShouldContain("fields.has_insurance.label");
        (await (await Send(provider, HttpMethod.Put, url, new { title = "", revision = saved.Revision }, 400)).ReadAsTextAsync())
            .ShouldContain("\"title\"");
        (await (await Send(provider, HttpMethod.Put, $"/api/forms/{saved.FormId}/translations/de", SpanishWords(saved.Revision), 400))
            .ReadAsTextAsync()).ShouldContain("\"language\"");

        await using var session = OpenSession();
        (await session.LoadAsync<IntakeForm>(saved.FormId))!.Translations.ShouldBeEmpty();
    }
}
