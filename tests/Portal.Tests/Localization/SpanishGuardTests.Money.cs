using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Alba;
using Marten;
using Portal.Insurance.Payers;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Localization;

/// <summary>
/// Insurance and autopay in Spanish: each client page rendered in English and in Spanish, in the states a client meets
/// (nothing on file; a plan sent back with its history; autopay on, with a payment partly refunded), and what the card
/// form's scripts and the sandbox processor say.
/// </summary>
public sealed partial class SpanishGuardTests
{
    /// <summary>Insurers are named as they name themselves, in every language.</summary>
    private static readonly string[] Payers = [.. PayerDirectory.All.Where(p => p.Id != PayerDirectory.OtherId).Select(p => p.Name)];

    [Fact]
    public async Task The_insurance_page_in_Spanish_with_nothing_on_file_has_no_text_left_in_English()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");

        var (english, spanish) = await BothLanguagesAsync(client, "/portal/insurance");

        spanish.ShouldContain("Su seguro");
        LeftInEnglish(english, spanish, [.. Payers, provider.PracticeName, client.FirstName, client.LastName, provider.Name])
            .ShouldBeEmpty("/portal/insurance shows English to a Spanish reader");
    }

    [Fact]
    public async Task The_insurance_page_in_Spanish_with_a_plan_sent_back_and_its_history_has_no_text_left_in_English()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        await ClientSavesAsync(client, "/api/insurance/plans/primary", new
        {
            expectedVersion = 0, payerId = "aetna", planName = "Open Access", memberId = "XJH123", groupNumber = "0098",
            subscriber = new { isClient = false, name = "Marco Ramírez", dateOfBirth = "1980-03-04", relationship = "spouse" },
        });
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.MultipartFormData(Portal.Tests.Insurance.InsuranceApi.Photo(Portal.Tests.Insurance.CardPictures.Png, "front.png", 1))
                .ToUrl("/api/insurance/plans/primary/photos/front");
            s.StatusCodeShouldBeOk();
        });
        const string Message = "XJH123-01";
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { expectedVersion = 2, message = Message })
                .ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary/return");
            s.StatusCodeShouldBeOk();
        });

        var (english, spanish) = await BothLanguagesAsync(client, "/portal/insurance");

        // The date of birth in the language's culture; the relationship and the review status in its words.
        var read = WebUtility.HtmlDecode(spanish);
        read.ShouldContain("Marco Ramírez, nacido(a) el 4 mar 1980; usted es su cónyuge (dependiente)");
        read.ShouldContain("Devuelto para cambios");
        read.ShouldContain($"Devolvió el plan principal: {Message}");
        LeftInEnglish(english, spanish, [.. Payers, provider.PracticeName, client.FirstName, client.LastName, provider.Name,
                "Open Access", "XJH123", "0098", "Marco Ramírez", Message, "Aetna, Open Access", "1980-03-04"])
            .ShouldBeEmpty("/portal/insurance with a plan shows English to a Spanish reader");
    }

    [Fact]
    public async Task The_insurance_form_refused_in_Spanish_names_each_field_at_fault_in_Spanish()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        await ChooseLanguageAsync(client, "es");
        var page = await Host.OpenPageAsync(client, "/portal/insurance");

        var result = await Host.Scenario(s => s.PostForm(client, page, "/portal/insurance", "Save", new()
        {
            ["Form.Rank"] = "primary", ["Form.ExpectedVersion"] = "0", ["Form.PayerId"] = "other", ["Form.OtherPayerName"] = "",
            ["Form.PlanName"] = "", ["Form.MemberId"] = "no/slashes", ["Form.Holder"] = "other",
        }));

        result.Context.Response.StatusCode.ShouldBe(400);
        var html = WebUtility.HtmlDecode(await result.ReadAsTextAsync());
        html.ShouldContain("Corrija los campos marcados.");
        html.ShouldContain("Escriba el nombre de su compañía de seguro tal como aparece en su tarjeta.");
        html.ShouldContain("Escriba el nombre del plan tal como aparece en su tarjeta (hasta 120 caracteres).");
        html.ShouldContain("Elija qué relación tiene con el titular del plan.");
        html.ShouldNotContain("Enter the plan name");
        html.ShouldNotContain("Choose how you are related");
    }

    [Fact]
    public async Task The_autopay_page_in_Spanish_before_enrolling_has_no_text_left_in_English_nor_in_its_scripts()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");

        var (english, spanish) = await BothLanguagesAsync(client, "/portal/autopay");

        WebUtility.HtmlDecode(spanish).ShouldContain("Autorizo a la práctica de mi proveedor");
        LeftInEnglish(english, spanish, [.. CardWords, provider.PracticeName, client.FirstName, client.LastName, provider.Name])
            .ShouldBeEmpty("/portal/autopay shows English to a Spanish reader");
        var englishScript = ScriptTexts(english);
        var spanishScript = ScriptTexts(spanish);
        spanishScript.Keys.ShouldBe(englishScript.Keys);
        spanishScript.Where(t => t.Value == englishScript[t.Key]).ShouldBeEmpty("the card form's scripts say English to a Spanish reader");
    }

    [Fact]
    public async Task The_autopay_page_in_Spanish_with_a_payment_partly_refunded_has_no_text_left_in_English()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        await ChooseLanguageAsync(client, "es");
        var token = await CardTokenAsync(client, "4242424242424242");
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Post.Json(new
            {
                cardToken = token, cardholderName = "Lucia Ramirez", billingPostalCode = "97201",
                consentVersion = Portal.Autopay.Accounts.AutopayAuthorization.Version, agreedToAuthorization = true,
            }).ToUrl("/api/autopay/enrolment");
            s.StatusCodeShouldBeOk();
        });
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { amountCents = 12000, description = "Session", idempotencyKey = "visit-1" })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges");
            s.StatusCodeShouldBe(201);
        });
        await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { amountCents = 2000, reason = "Refund", idempotencyKey = "refund-1" })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges/visit-1/refunds");
            s.StatusCodeShouldBe(201);
        });

        var spanish = await PageAsync(client, "/portal/autopay");
        await ChooseLanguageAsync(client, "en");
        var english = await PageAsync(client, "/portal/autopay");

        var read = WebUtility.HtmlDecode(spanish);
        read.ShouldContain("Visa terminada en 4242");
        read.ShouldContain("Pagado, $20.00 reembolsado");
        read.ShouldContain("$120.00");
        LeftInEnglish(english, spanish, [.. CardWords, provider.PracticeName, client.FirstName, client.LastName, provider.Name,
                "Lucia Ramirez", "97201"])
            .ShouldBeEmpty("/portal/autopay with payments shows English to a Spanish reader");

        // The client agreed to the Spanish text: the consent keeps its hash and its language.
        await using var session = OpenSession();
        var account = await session.Query<Portal.Autopay.Accounts.AutopayAccount>().SingleAsync(a => a.ClientId == client.ClientId);
        account.Consent!.Language.ShouldBe("es");
        account.Consent.TextSha256.ShouldNotBe(Portal.Autopay.Accounts.AutopayAuthorization.TextSha256);
    }

    [Fact]
    public async Task The_sandbox_processor_tells_a_Spanish_reader_what_is_wrong_with_the_card_in_Spanish()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        await ChooseLanguageAsync(client, "es");

        var badNumber = await TokenizeAsync(client, new { number = "4242424242424241", expMonth = 12, expYear = 2099, cvc = "123" });
        var shortCvc = await TokenizeAsync(client, new { number = "4242424242424242", expMonth = 12, expYear = 2099, cvc = "1" });

        badNumber.GetProperty("errors").GetProperty("number")[0].GetString()
            .ShouldBe("El número de su tarjeta es incorrecto. Revíselo e intente de nuevo.");
        shortCvc.GetProperty("errors").GetProperty("cvc")[0].GetString().ShouldBe("Escriba el código de seguridad de 3 o 4 dígitos.");
    }

    /// <summary>Card brands and the sandbox's test card numbers, the same in every language.</summary>
    private static readonly string[] CardWords = ["Visa", "Stripe", "JavaScript", "American Express"];

    private async Task<(string English, string Spanish)> BothLanguagesAsync(ClientActor client, string url)
    {
        var english = await PageAsync(client, url);
        await ChooseLanguageAsync(client, "es");
        return (english, await PageAsync(client, url));
    }

    private Task ClientSavesAsync(ClientActor client, string url, object plan) => TrackedScenario(s =>
    {
        s.As(client);
        s.Put.Json(plan).ToUrl(url);
        s.StatusCodeShouldBeOk();
    });

    private async Task<string> CardTokenAsync(ClientActor client, string number)
    {
        var next = Clock.GetUtcNow().AddYears(1);
        return (await TokenizeAsync(client, new { number, expMonth = next.Month, expYear = next.Year, cvc = "123" }))
            .GetProperty("token").GetString()!;
    }

    private async Task<JsonElement> TokenizeAsync(ClientActor client, object card) => await (await Host.Scenario(s =>
    {
        s.As(client);
        s.Post.Json(card).ToUrl("/sandbox-gateway/tokens");
        s.IgnoreStatusCode();
    })).ReadAsJsonAsync<JsonElement>();

    /// <summary>The texts the page hands its scripts (the #autopay-texts JSON block).</summary>
    private static Dictionary<string, string> ScriptTexts(string html) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ScriptBlock().Match(html).Groups[1].Value)!;

    [GeneratedRegex("""<script type="application/json" id="autopay-texts">(.*?)</script>""", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();
}
