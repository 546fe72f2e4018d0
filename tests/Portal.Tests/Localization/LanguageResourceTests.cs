using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Portal.BuildingBlocks.Localization;
using Portal.BuildingBlocks.Time;
using Portal.Notifications.Templates;

namespace Portal.Tests.Localization;

/// <summary>
/// Every language has every text: each module's ClientText.{language}.resx holds each key of the neutral (English)
/// ClientText.resx, with the same placeholders and no English left as its value; every client email has its templates.
/// </summary>
public sealed partial class LanguageResourceTests
{
    public static TheoryData<Type, string> TextsAndLanguages()
    {
        var data = new TheoryData<Type, string>();
        Type[] texts = [typeof(Portal.Host.ClientText), typeof(Portal.Invitations.ClientText), typeof(Portal.Practice.ClientText),
            typeof(Portal.Forms.ClientText), typeof(Portal.Notifications.ClientText), typeof(Portal.Intake.ClientText),
            typeof(Portal.Insurance.ClientText), typeof(Portal.Autopay.ClientText)];
        foreach (var text in texts)
            foreach (var (code, _) in PortalLanguages.Supported.Where(l => l.Code != PortalLanguages.English))
                data.Add(text, code);
        return data;
    }

    [Theory]
    [MemberData(nameof(TextsAndLanguages))]
    public void Every_key_of_the_English_texts_has_a_translation_with_the_same_placeholders(Type text, string language)
    {
        var resources = new ResourceManager(text);
        var english = Entries(resources, CultureInfo.InvariantCulture);
        var translated = Entries(resources, CultureInfo.GetCultureInfo(language));
        english.Count.ShouldBeGreaterThan(0);

        english.Keys.Except(translated.Keys).ShouldBeEmpty($"{text.FullName}: keys without a {language} translation");
        translated.Keys.Except(english.Keys).ShouldBeEmpty($"{text.FullName}: {language} keys the English does not have");
        foreach (var (key, value) in translated)
        {
            english[key].ShouldBe(key, "the English text's key is its wording");
            value.ShouldNotBe(key, $"{text.FullName}: '{key}' is still English in {language}");
            Placeholders(value).ShouldBe(Placeholders(key), $"{text.FullName}: '{key}' and its {language} text name different values");
        }
    }

    public static TheoryData<string, string> ClientEmailsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in EmailTemplates.ClientNames)
            foreach (var (code, _) in PortalLanguages.Supported.Where(l => l.Code != PortalLanguages.English))
                data.Add(name, code);
        return data;
    }

    [Theory]
    [MemberData(nameof(ClientEmailsAndLanguages))]
    public void Every_client_email_has_its_templates_and_subject_in_each_language(string name, string language)
    {
        EmailTemplates.Exists($"{name}.{language}.html").ShouldBeTrue($"Templates/{name}.{language}.html.liquid is missing");
        EmailTemplates.Exists($"{name}.{language}.txt").ShouldBeTrue($"Templates/{name}.{language}.txt.liquid is missing");
        EmailTemplates.Exists($"_layout.{language}.html").ShouldBeTrue();
        EmailTemplates.Exists($"_layout.{language}.txt").ShouldBeTrue();
        var subject = EmailTemplates.Subjects[name];
        Portal.Notifications.ClientText.Translate(subject, language).ShouldNotBe(subject, $"the subject of {name} has no {language} translation");
    }

    [Fact]
    public void Dates_read_in_the_language_s_culture_in_the_reader_s_zone()
    {
        var zone = PortalTime.Find("America/New_York")!;
        var spanish = PortalLanguages.Culture(PortalLanguages.Spanish);
        PortalTime.Date(new DateOnly(2026, 3, 4), spanish).ShouldBe("4 mar 2026");
        PortalTime.Date(new DateOnly(2026, 3, 4)).ShouldBe("Mar 4, 2026");
        // 02:30 UTC on March 5 is still March 4 in New York.
        var at = new DateTimeOffset(2026, 3, 5, 2, 30, 0, TimeSpan.Zero);
        PortalTime.Date(at, zone, spanish).ShouldBe("4 mar 2026");
        PortalTime.DateTime(at, zone, spanish).Replace('\u00a0', ' ').Replace('\u202f', ' ').ShouldBe("4 mar 2026, 9:30 p. m. EST");
        PortalTime.DateTime(at, zone).ShouldBe("Mar 4, 2026, 9:30 PM EST");
    }

    private static Dictionary<string, string> Entries(ResourceManager resources, CultureInfo culture)
    {
        var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No {culture.Name} resources for {resources.BaseName}.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }

    private static string[] Placeholders(string text) =>
        [.. PlaceholderPattern().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}|\{\{ ?\w+ ?\}\}|<[^>]+>")]
    private static partial Regex PlaceholderPattern();
}
