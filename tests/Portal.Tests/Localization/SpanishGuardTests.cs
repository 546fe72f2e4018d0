using System.Net;
using System.Text.RegularExpressions;
using Alba;
using Portal.Notifications.Templates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Localization;

/// <summary>
/// Nothing left in English by accident: each translated client page and client email is rendered in English and in
/// Spanish, and any text of the Spanish one that the English one also has fails the test, unless it is a name, an
/// address or a brand word (the allow-list). A text that was never put through the resources shows up here too.
/// </summary>
public sealed partial class SpanishGuardTests(PortalFixture fixture) : PortalTest(fixture)
{
    /// <summary>Words that are the same in both languages: product and instrument names, the languages' own names.</summary>
    private static readonly string[] BrandWords = ["English", "Español", "PHQ-9", "GAD-7", "·", "988", "911"];

    public static TheoryData<string> ClientPages() =>
    [
        "/portal", "/portal/account", "/portal/account/language", "/account/passkeys", "/account/second-factor",
        "/portal/assessments", "/portal/assessments/phq9", "/portal/assessments/gad7", "/account/time-zone",
    ];

    [Theory]
    [MemberData(nameof(ClientPages))]
    public async Task A_client_page_in_Spanish_has_no_text_left_in_English(string url)
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Lucía", "Ramírez");
        var english = await PageAsync(client, url);
        await ChooseLanguageAsync(client, "es");
        var spanish = await PageAsync(client, url);

        spanish.ShouldContain("lang=\"es\"");
        // Place names are the same in every language: the time zones (by their IANA names) are not translated.
        string[] places = [.. Portal.BuildingBlocks.Time.PortalTime.Zones.SelectMany(z => new[] { z.Label, z.Id.Replace('_', ' ') })];
        LeftInEnglish(english, spanish, [provider.PracticeName, client.FirstName, client.LastName, client.Email, provider.Name, .. places])
            .ShouldBeEmpty($"{url} shows English to a Spanish reader");
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/forgot-password")]
    public async Task A_signed_out_page_follows_the_browser_and_has_no_text_left_in_English(string url)
    {
        var english = await SignedOutAsync(url, "en-US,en;q=0.9");
        var spanish = await SignedOutAsync(url, "es-MX,es;q=0.9,en;q=0.5");

        spanish.ShouldContain("lang=\"es\"");
        LeftInEnglish(english, spanish).ShouldBeEmpty($"{url} shows English to a Spanish browser");
    }

    [Fact]
    public async Task The_activation_page_in_Spanish_has_no_text_left_in_English()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Lucía", "Ramírez");
        var token = await Host.SendInvitationAsync(provider, client.ClientId);
        var english = await SignedOutAsync($"/activate?token={token}", "en-US");
        var spanish = await SignedOutAsync($"/activate?token={token}", "es");

        spanish.ShouldContain("Active su cuenta del portal");
        LeftInEnglish(english, spanish, provider.PracticeName, client.FirstName).ShouldBeEmpty();
    }

    public static TheoryData<string> ClientEmails() => [.. EmailTemplates.ClientNames];

    [Theory]
    [MemberData(nameof(ClientEmails))]
    public async Task A_client_email_in_Spanish_has_no_sentence_left_in_English(string name)
    {
        var english = await EmailTemplates.RenderAsync(name, Values(null), null, Link);
        var spanish = await EmailTemplates.RenderAsync(name, Values("es"), null, Link);

        spanish.Subject.ShouldNotBe(english.Subject);
        spanish.Html.ShouldContain("lang=\"es\"");
        var allowed = Values(null).Values.Append(Link).ToHashSet();
        var englishLines = Lines(english.Text).Where(l => !allowed.Contains(l)).ToHashSet();
        Lines(spanish.Text).Where(englishLines.Contains).ShouldBeEmpty($"{name} keeps English lines in Spanish");
        LeftInEnglish(english.Html, spanish.Html, [.. allowed]).ShouldBeEmpty($"{name} keeps English text in its Spanish HTML");
    }

    private const string Link = "https://portal.example/activate?token=t";

    /// <summary>Values with no words of either language in them, so only the templates' own words are compared.</summary>
    private static Dictionary<string, string> Values(string? language)
    {
        var values = new Dictionary<string, string>
        {
            ["practiceName"] = "Lakeside Counseling", ["firstName"] = "Lucía", ["clientFirstName"] = "Sam", ["providerName"] = "Dr. Ana Silva",
            ["portalLink"] = "https://portal.example/portal", ["insuranceLink"] = "https://portal.example/portal/insurance",
            ["expiresAt"] = "X-1", ["lockedUntil"] = "X-2", ["changedAt"] = "X-3", ["nextStep"] = "X-4", ["newEmailMasked"] = "l***@example.com",
            ["hasAccount"] = "yes", ["taskWords"] = "X-5", ["dueText"] = "X-6", ["taskCount"] = "X-7", ["taskSummary"] = "X-8",
            ["cardBrand"] = "Visa", ["last4"] = "4242", ["expiresOn"] = "X-9", ["planRank"] = "X-10", ["providerMessage"] = "X-11",
            ["amount"] = "$120.00", ["paidOn"] = "X-12", ["receiptNumber"] = "R-0001", ["refundedOn"] = "X-13", ["reason"] = "X-14",
        };
        if (language is not null) values[EmailTemplates.LanguageKey] = language;
        return values;
    }

    private async Task<string> PageAsync(ClientActor client, string url) => await (await Host.Scenario(s =>
    {
        s.As(client);
        s.Get.Url(url);
        s.StatusCodeShouldBeOk();
    })).ReadAsTextAsync();

    private async Task<string> SignedOutAsync(string url, string acceptLanguage) => await (await Host.Scenario(s =>
    {
        s.Get.Url(url);
        s.WithRequestHeader("Accept-Language", acceptLanguage);
        s.StatusCodeShouldBeOk();
    })).ReadAsTextAsync();

    private Task ChooseLanguageAsync(ClientActor client, string language) => TrackedScenario(s =>
    {
        s.As(client);
        s.Put.Json(new { language }).ToUrl("/api/portal/language");
        s.StatusCodeShouldBeOk();
    });

    /// <summary>The texts people read in the Spanish page that the English page has too, less names and brand words.</summary>
    internal static IReadOnlyList<string> LeftInEnglish(string englishHtml, string spanishHtml, params string[] names)
    {
        var allowed = names.Concat(BrandWords).ToHashSet(StringComparer.Ordinal);
        var english = Texts(englishHtml).ToHashSet(StringComparer.Ordinal);
        return [.. Texts(spanishHtml).Where(t => english.Contains(t) && !allowed.Contains(t) && !IsOnlyNames(t, allowed)).Distinct()];
    }

    /// <summary>What a person reads: text between tags and the words of alt, placeholder, aria-label and title attributes.</summary>
    internal static IEnumerable<string> Texts(string html)
    {
        html = Hidden().Replace(html, " ");
        foreach (Match attribute in ReadAttributes().Matches(html)) yield return Normal(attribute.Groups[2].Value);
        foreach (var text in Tag().Split(html).Select(Normal).Where(t => t.Any(char.IsLetter))) yield return text;
    }

    private static string Normal(string text) => Whitespace().Replace(WebUtility.HtmlDecode(text), " ").Trim();

    private static bool IsOnlyNames(string text, HashSet<string> allowed) =>
        allowed.Aggregate(text, (rest, name) => name.Length > 0 ? rest.Replace(name, " ") : rest).All(c => !char.IsLetter(c));

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.Any(char.IsLetter));

    [GeneratedRegex(@"<(script|style|code)\b[^>]*>.*?</\1>|<!--.*?-->", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex(@"\b(alt|placeholder|aria-label|title|data-confirm)=""([^""]*[A-Za-z][^""]*)""")]
    private static partial Regex ReadAttributes();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
