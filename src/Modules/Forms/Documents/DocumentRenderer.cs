using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ganss.Xss;
using Markdig;

namespace Portal.Forms.Documents;

/// <summary>
/// Markdown to the HTML a client is shown: raw HTML in the source is not passed through, and the result is sanitized
/// (no script, no event handlers, no inline style, no foreign frames). The hash is over exactly this HTML.
/// </summary>
internal static class DocumentRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseListExtras()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    private static HtmlSanitizer NewSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("form");
        return sanitizer;
    }

    public static string Render(string title, string markdown)
    {
        var body = Markdig.Markdown.ToHtml(markdown ?? string.Empty, Pipeline);
        var html = $"<h1>{WebUtility.HtmlEncode(title)}</h1>\n{body}";
        return NewSanitizer().Sanitize(html);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of the HTML.</summary>
    public static string Hash(string html) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(html)));
}

/// <summary>The consent to do business electronically that a client gives when signing (ESIGN / UETA).</summary>
internal static class ElectronicConsent
{
    public const string Version = "2026-11";

    public const string Text =
        "I agree to use electronic records and signatures with my provider's practice. By typing my full name and " +
        "selecting \"Sign\", I intend to sign this document electronically, and my electronic signature has the same " +
        "effect as a handwritten one. I have the right to receive a paper copy of this document at no charge by asking " +
        "my provider. I may withdraw my consent to sign electronically at any time by telling my provider; withdrawing " +
        "does not affect documents I have already signed. I can open and print a copy of what I sign from the portal.";

    /// <summary>The same consent in Spanish, for a client who reads Spanish: recorded word for word at signing like the English.</summary>
    public const string Spanish =
        "Acepto usar registros y firmas electrónicos con el consultorio de mi proveedor. Al escribir mi nombre completo y " +
        "seleccionar \"Firmar\", tengo la intención de firmar este documento electrónicamente, y mi firma electrónica tiene el " +
        "mismo efecto que una firma a mano. Tengo derecho a recibir una copia en papel de este documento sin costo si se la " +
        "pido a mi proveedor. Puedo retirar mi consentimiento para firmar electrónicamente en cualquier momento avisándole a " +
        "mi proveedor; retirarlo no afecta los documentos que ya firmé. Puedo abrir e imprimir desde el portal una copia de " +
        "lo que firmo.";

    /// <summary>The consent in the reader's language (English where there is no translation).</summary>
    public static string In(string language) => language == Portal.BuildingBlocks.Localization.PortalLanguages.Spanish ? Spanish : Text;
}
