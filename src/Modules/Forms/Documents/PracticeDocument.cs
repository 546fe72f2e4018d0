using Portal.BuildingBlocks.Localization;

namespace Portal.Forms.Documents;

/// <summary>
/// A policy or consent form of a practice. The provider edits a working copy (title + Markdown); publishing freezes it
/// as the next numbered <see cref="DocumentVersion"/>. A published version never changes: clients sign versions.
/// </summary>
public sealed class PracticeDocument : IPracticeContent
{
    public static string Noun => "document";

    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public Guid ProviderId { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Markdown { get; set; } = string.Empty;

    /// <summary>Grows with every change to the working copy; editors send the one they loaded (stale -> 409).</summary>
    public int Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<DocumentVersion> Versions { get; set; } = [];

    /// <summary>
    /// The working copy in other languages than English, by language code ("es"): published with the English one, so a
    /// client reads the version's text in their language where it has one.
    /// </summary>
    public Dictionary<string, DocumentTranslation> Translations { get; set; } = [];

    /// <summary>When the practice withdrew it: no new intake task may ask for it until a new version is published.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    public DocumentVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    public DocumentVersion? Version(int number) => Versions.FirstOrDefault(v => v.Number == number);

    int? IPracticeContent.LatestVersion => Latest?.Number;

    /// <summary>Whether the working copy differs from the latest published version.</summary>
    public bool HasUnpublishedChanges => Latest is not { } latest || latest.Title != Title || latest.Markdown != Markdown
        || latest.Translations.Count != Translations.Count
        || Translations.Any(t => !latest.Translations.TryGetValue(t.Key, out var published)
                                 || published.Title != t.Value.Title || published.Markdown != t.Value.Markdown);
}

/// <summary>The working copy of a document in another language: its title and Markdown.</summary>
public sealed class DocumentTranslation
{
    public string Title { get; set; } = string.Empty;
    public string Markdown { get; set; } = string.Empty;
}

/// <summary>A published version's text in another language, frozen like the English one, with the SHA-256 of its HTML.</summary>
public sealed class PublishedTranslation
{
    public string Title { get; set; } = string.Empty;
    public string Markdown { get; set; } = string.Empty;
    public string Html { get; set; } = string.Empty;
    public string ContentHash { get; set; } = string.Empty;
}

/// <summary>One language's text of a published version, as a client is shown it and signs it.</summary>
internal sealed record DocumentText(string Language, string Title, string Html, string ContentHash);

/// <summary>A published version: its source, the sanitized HTML a client is shown, and the SHA-256 of that HTML.</summary>
public sealed class DocumentVersion
{
    public int Number { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Markdown { get; set; } = string.Empty;
    public string Html { get; set; } = string.Empty;
    public string ContentHash { get; set; } = string.Empty;

    /// <summary>Whether clients who signed an earlier version must sign this one again.</summary>
    public bool RequireResign { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public Guid PublishedBy { get; set; }

    /// <summary>This version in other languages, by language code; English is the version itself.</summary>
    public Dictionary<string, PublishedTranslation> Translations { get; set; } = [];

    /// <summary>The text a reader of <paramref name="language"/> is shown: theirs where this version has it, else English.</summary>
    internal DocumentText In(string language) =>
        language != PortalLanguages.English && Translations.TryGetValue(language, out var t)
            ? new DocumentText(language, t.Title, t.Html, t.ContentHash)
            : new DocumentText(PortalLanguages.English, Title, Html, ContentHash);

    /// <summary>The text of this version whose HTML hashes to <paramref name="hash"/> (what a client was shown), or null.</summary>
    internal DocumentText? WithHash(string? hash) =>
        Translations.Select(t => new DocumentText(t.Key, t.Value.Title, t.Value.Html, t.Value.ContentHash))
            .Prepend(new DocumentText(PortalLanguages.English, Title, Html, ContentHash))
            .FirstOrDefault(t => string.Equals(t.ContentHash, hash, StringComparison.OrdinalIgnoreCase));
}
