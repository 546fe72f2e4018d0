using System.Security.Cryptography;
using System.Xml;
using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Practices;

/// <summary>A practice's logo as uploaded and checked; served from the portal's own site, never from elsewhere.</summary>
public sealed class PracticeLogo
{
    public Guid Id { get; set; }
    public string ContentType { get; set; } = string.Empty;
    public byte[] Content { get; set; } = [];
    public string Version { get; set; } = string.Empty;
}

/// <summary>
/// The owner uploads the practice's logo: a PNG or an SVG of at most 512 KB, judged by its content, not by its name.
/// A PNG must start with the PNG signature; an SVG must parse as XML with an svg root and carry no script, no event
/// handler and no reference outside itself (it is refused, not silently cleaned, so what is shown is what was sent).
/// </summary>
public static class PracticeLogoEndpoints
{
    /// <summary>multipart/form-data with the file in a part named "logo".</summary>
    [WolverinePost("/api/console/practice/logo")]
    [Microsoft.AspNetCore.Mvc.Consumes("multipart/form-data")] // an upload: OpenAPI and the security suites see it as one
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Post(HttpContext http, IDocumentSession session, TimeProvider clock,
        IPracticeLooks looks)
    {
        if (!http.Request.HasFormContentType)
            return (Refusal.Invalid(ChangePracticeLogo.Field, "Send the logo as multipart/form-data in a part named \"logo\".").ToProblem(http), []);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        // The part is named "logo"; a form with one file under another name is read as that file.
        var file = form.Files.GetFile("logo") ?? (form.Files.Count == 1 ? form.Files[0] : null);
        var (outcome, messages) = await ChangePracticeLogo.ExecuteAsync(file, http, session, clock, looks);
        return (outcome.ToResult(http), messages);
    }

    [WolverineDelete("/api/console/practice/logo")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Delete(HttpContext http, IDocumentSession session, TimeProvider clock,
        IPracticeLooks looks)
    {
        var (outcome, messages) = await ChangePracticeLogo.RemoveAsync(http, session, clock, looks);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ChangePracticeLogo
{
    public const int MaxBytes = 512 * 1024;
    public const string Field = "logo";

    public static async Task<(Outcome<PracticeLookView>, OutgoingMessages)> ExecuteAsync(IFormFile? file, HttpContext http,
        IDocumentSession session, TimeProvider clock, IPracticeLooks looks)
    {
        if (file is null || file.Length == 0) return (Refusal.Invalid(Field, "Choose a PNG or SVG file for the logo."), []);
        if (file.Length > MaxBytes) return (Refusal.Invalid(Field, "The logo is larger than 512 KB: save a smaller file."), []);

        using var buffer = new MemoryStream();
        await using (var stream = file.OpenReadStream()) await stream.CopyToAsync(buffer);
        var content = buffer.ToArray();
        var (contentType, problem) = Judge(content);
        if (problem is not null) return (Refusal.Invalid(Field, problem), []);

        var practice = await session.LoadAsync<RosterPractice>(CurrentUser.From(http.User)!.PracticeId ?? Guid.Empty);
        if (practice is null) return (Refusal.NotFound("practice"), []);

        var version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        session.Store(new PracticeLogo { Id = practice.Id, ContentType = contentType!, Content = content, Version = version });
        practice.LogoVersion = version;
        Audit.Record(session, http, clock, "practice.logo-changed", "Practice", practice.Id.ToString(), outcome: contentType);
        return (PracticeLookView.Of(practice), [PracticeLooks.Changed(practice, session, looks)]);
    }

    public static async Task<(Outcome<PracticeLookView>, OutgoingMessages)> RemoveAsync(HttpContext http, IDocumentSession session,
        TimeProvider clock, IPracticeLooks looks)
    {
        var practice = await session.LoadAsync<RosterPractice>(CurrentUser.From(http.User)!.PracticeId ?? Guid.Empty);
        if (practice is null) return (Refusal.NotFound("practice"), []);
        session.Delete<PracticeLogo>(practice.Id);
        practice.LogoVersion = null;
        Audit.Record(session, http, clock, "practice.logo-removed", "Practice", practice.Id.ToString());
        return (PracticeLookView.Of(practice), [PracticeLooks.Changed(practice, session, looks)]);
    }

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The content type the bytes really are, or why they are refused.</summary>
    internal static (string? ContentType, string? Problem) Judge(byte[] content)
    {
        if (content.AsSpan().StartsWith(PngSignature)) return IsWholePng(content) ? ("image/png", null) : (null, NotAnImage);
        return SvgProblem(content) is { } problem ? (null, problem) : ("image/svg+xml", null);
    }

    /// <summary>
    /// A PNG whose chunks all check out: IHDR first, each chunk's CRC right, IEND last with nothing after it; a truncated
    /// file or a signature followed by something else is no PNG.
    /// </summary>
    private static bool IsWholePng(byte[] content)
    {
        var at = PngSignature.Length;
        var first = true;
        while (at + 12 <= content.Length)
        {
            var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(at));
            if (length > int.MaxValue || at + 12 + (long)length > content.Length) return false;
            var type = System.Text.Encoding.ASCII.GetString(content, at + 4, 4);
            if (first && (type != "IHDR" || length != 13)) return false;
            var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(content.AsSpan(at + 8 + (int)length));
            if (Crc32(content.AsSpan(at + 4, 4 + (int)length)) != crc) return false;
            at += 12 + (int)length;
            first = false;
            if (type == "IEND") return at == content.Length;
        }
        return false;
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
        { "script", "foreignObject", "iframe", "embed", "object", "handler", "listener", "animation", "audio", "video" };

    private const string NotAnImage = "The logo must be a PNG or an SVG image.";

    private const string Unsafe =
        "The SVG holds a script, an event handler or a reference to another file: export it as plain shapes and text, or use a PNG.";

    private static string? SvgProblem(byte[] content)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxBytes * 2,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), settings);
            var sawRoot = false;
            while (reader.Read())
            {
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && LeaksOut(reader.Value)) return Unsafe;
                if (reader.NodeType != XmlNodeType.Element) continue;
                if (!sawRoot)
                {
                    if (reader.LocalName != "svg" || reader.NamespaceURI != "http://www.w3.org/2000/svg") return NotAnImage;
                    sawRoot = true;
                }
                if (ForbiddenElements.Contains(reader.LocalName)) return Unsafe;
                if (!reader.MoveToFirstAttribute()) continue;
                do
                {
                    var name = reader.LocalName;
                    if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase)) return Unsafe;
                    if (name.Equals("href", StringComparison.OrdinalIgnoreCase) && !reader.Value.TrimStart().StartsWith('#')) return Unsafe;
                    if (reader.Prefix != "xmlns" && name != "xmlns" && LeaksOut(reader.Value)) return Unsafe;
                } while (reader.MoveToNextAttribute());
                reader.MoveToElement();
            }
            return sawRoot ? null : NotAnImage;
        }
        catch (XmlException)
        {
            return NotAnImage;
        }
    }

    /// <summary>A value that loads or runs something outside the image: a url() not to a fragment, a script scheme, an import.</summary>
    private static bool LeaksOut(string value)
    {
        var text = value.Replace(" ", string.Empty).ToLowerInvariant();
        if (text.Contains("javascript:") || text.Contains("@import") || text.Contains("expression(")) return true;
        for (var at = text.IndexOf("url(", StringComparison.Ordinal); at >= 0; at = text.IndexOf("url(", at + 4, StringComparison.Ordinal))
        {
            var rest = text[(at + 4)..].TrimStart('\'', '"');
            if (!rest.StartsWith('#')) return true;
        }
        return false;
    }
}
