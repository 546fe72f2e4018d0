using System.Globalization;

namespace Portal.BuildingBlocks.Localization;

/// <summary>
/// The languages a client reads the portal and its emails in ("en", "es"): the one list to extend for a third, beside
/// its resource files (docs/languages.md). English is the neutral language: every text's key is its English wording.
/// Staff pages stay English.
/// </summary>
public static class PortalLanguages
{
    public const string English = "en";
    public const string Spanish = "es";
    public const string Default = English;

    /// <summary>The codes a client may choose, with the name each language has in itself (what a switch shows).</summary>
    public static IReadOnlyList<(string Code, string Name)> Supported { get; } = [(English, "English"), (Spanish, "Español")];

    public static bool IsSupported(string? code) => code is not null && Supported.Any(l => l.Code == code);

    /// <summary>The culture of a language: its dates ("4 mar 2026") and numbers ("1.234,50"); US English for English.</summary>
    public static CultureInfo Culture(string? code) => code switch
    {
        // The portal's readers live in the United States: Spanish as written there ("$1,234.50", "3:05 p. m.").
        Spanish => CultureInfo.GetCultureInfo("es-US"),
        { } other when IsSupported(other) && other != English => CultureInfo.GetCultureInfo(other),
        _ => CultureInfo.GetCultureInfo("en-US"),
    };

    /// <summary>The language of this request (the culture request localization chose), for what pages show.</summary>
    public static string Current => Of(CultureInfo.CurrentUICulture);

    /// <summary>The language of a culture, or the default when it is none we offer.</summary>
    public static string Of(CultureInfo culture) =>
        IsSupported(culture.TwoLetterISOLanguageName) ? culture.TwoLetterISOLanguageName : Default;
}
