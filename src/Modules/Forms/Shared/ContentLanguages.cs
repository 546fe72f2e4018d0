using Portal.BuildingBlocks.Localization;

namespace Portal.Forms.Shared;

/// <summary>The languages practice content may be translated into: any the portal offers but English, which is the original.</summary>
internal static class ContentLanguages
{
    public static IEnumerable<(string Code, string Name)> Languages =>
        PortalLanguages.Supported.Where(l => l.Code != PortalLanguages.English);

    public static Refusal? Refuse(string? language) =>
        language is not null && Languages.Any(l => l.Code == language)
            ? null
            : Refusal.Invalid("language", $"Translate into one of: {string.Join(", ", Languages.Select(l => l.Code))}.");

    /// <summary>What the provider pages call a language ("Spanish"); they are in English.</summary>
    public static string EnglishName(string? language) => language switch
    {
        PortalLanguages.Spanish => "Spanish",
        null or PortalLanguages.English => "English",
        _ => language,
    };
}
