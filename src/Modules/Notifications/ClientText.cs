using System.Globalization;
using System.Resources;
using Portal.BuildingBlocks.Localization;

namespace Portal.Notifications;

/// <summary>
/// The words of client emails that are not in a template: subjects and the phrases handlers compose ("sign 2
/// documents"). Each key is the English wording (ClientText.resx), each other language a file beside it
/// (ClientText.es.resx); email bodies are a template per language (Templates/x.es.html.liquid). See docs/languages.md.
/// </summary>
internal sealed class ClientText
{
    private static readonly ResourceManager Resources = new(typeof(ClientText));

    /// <summary>
    /// <paramref name="english"/> in <paramref name="language"/>, formatted with <paramref name="args"/> in its culture;
    /// the English itself when the language has no entry (a text added since, e.g. a staff email's).
    /// </summary>
    public static string Translate(string english, string? language, params object[] args)
    {
        var culture = PortalLanguages.Culture(language);
        var text = language is null or PortalLanguages.English
            ? english
            : Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: true)?.GetString(english) ?? english;
        return args.Length == 0 ? text : string.Format(culture, text, args);
    }
}
