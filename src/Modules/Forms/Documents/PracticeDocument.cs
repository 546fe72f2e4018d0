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

    /// <summary>When the practice withdrew it: no new intake task may ask for it until a new version is published.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    public DocumentVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    public DocumentVersion? Version(int number) => Versions.FirstOrDefault(v => v.Number == number);

    int? IPracticeContent.LatestVersion => Latest?.Number;

    /// <summary>Whether the working copy differs from the latest published version.</summary>
    public bool HasUnpublishedChanges => Latest is not { } latest || latest.Title != Title || latest.Markdown != Markdown;
}

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
}
