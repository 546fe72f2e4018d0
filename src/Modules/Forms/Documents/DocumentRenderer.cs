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
}
