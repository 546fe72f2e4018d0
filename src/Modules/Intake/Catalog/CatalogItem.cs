using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;

namespace Portal.Intake.Catalog;

/// <summary>A document or intake form the content module published, as far as workflows need to know it.</summary>
public sealed class CatalogItem
{
    public const string DocumentKind = "document";
    public const string FormKind = "form";

    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string Kind { get; set; } = DocumentKind;
    public string Title { get; set; } = string.Empty;

    /// <summary>The latest version published; 0 while only a withdrawal has arrived (a tombstone, never offered).</summary>
    public int Version { get; set; }

    public List<string> FieldKeys { get; set; } = [];

    /// <summary>A form's fields with their labels and the answers they offer (empty for a form published before they were sent).</summary>
    public List<CatalogField> Fields { get; set; } = [];

    public bool Withdrawn { get; set; }

    /// <summary>
    /// The latest version a withdrawal was about. Kept so that the order the messages arrive in does not matter: a
    /// publish of that version or an older one arriving after the withdrawal stays withdrawn; a newer version (the
    /// practice published again) offers it again.
    /// </summary>
    public int? WithdrawnVersion { get; set; }

    internal void Published(int version)
    {
        Version = version;
        Withdrawn = WithdrawnVersion is { } withdrawn && withdrawn >= version;
    }

    /// <summary>The field with this key when its answers are a fixed set to choose from; null for free text or unknown.</summary>
    internal CatalogField? ChoiceField(string? key) =>
        Fields.FirstOrDefault(f => f.Key == key && f.Options.Count > 0);
}

/// <summary>A form field as a workflow condition offers it: its label, and its answers when they are chosen, not typed.</summary>
public sealed class CatalogField
{
    public string Key { get; set; } = string.Empty;
    public string Label { get; set; } = string.Empty;
    public List<CatalogOption> Options { get; set; } = [];
}

/// <summary>An answer a field offers: the value stored with the answer and the label the client reads.</summary>
public sealed class CatalogOption
{
    public string Value { get; set; } = string.Empty;
    public string Label { get; set; } = string.Empty;
}

/// <summary>
/// Keeps <see cref="CatalogItem"/> current from the content module's messages, whatever order they arrive in: each
/// edit is under the item's lock, and a withdrawal that overtakes its publish is remembered (see
/// <see cref="CatalogItem.WithdrawnVersion"/>).
/// </summary>
public static class CatalogHandler
{
    public static async Task Handle(DocumentPublished published, IDocumentSession session, CancellationToken cancellation)
    {
        var item = await EditLock.LoadLockedAsync<CatalogItem>(session, published.DocumentId, cancellation)
                   ?? new CatalogItem { Id = published.DocumentId };
        if (item.Version > published.Version) return;
        item.PracticeId = published.PracticeId;
        item.Kind = CatalogItem.DocumentKind;
        item.Title = published.Title;
        item.Published(published.Version);
        session.Store(item);
    }

    public static async Task Handle(IntakeFormPublished published, IDocumentSession session, CancellationToken cancellation)
    {
        var item = await EditLock.LoadLockedAsync<CatalogItem>(session, published.FormId, cancellation)
                   ?? new CatalogItem { Id = published.FormId };
        if (item.Version > published.Version) return;
        item.PracticeId = published.PracticeId;
        item.Kind = CatalogItem.FormKind;
        item.Title = published.Title;
        item.FieldKeys = [.. published.FieldKeys];
        item.Fields =
        [
            .. (published.Fields ?? []).Select(f => new CatalogField
            {
                Key = f.Key,
                Label = f.Label,
                Options = [.. f.Options.Select(o => new CatalogOption { Value = o.Value, Label = o.Label })],
            }),
        ];
        item.Published(published.Version);
        session.Store(item);
    }

    /// <summary>
    /// Before its publish has arrived, the withdrawal is kept as a tombstone (withdrawn, version 0), which the publish
    /// then fills in without offering it. A message from before withdrawals named their version (0) withdraws what is
    /// known now.
    /// </summary>
    public static async Task Handle(CatalogItemWithdrawn withdrawn, IDocumentSession session, CancellationToken cancellation)
    {
        var item = await EditLock.LoadLockedAsync<CatalogItem>(session, withdrawn.ItemId, cancellation)
                   ?? new CatalogItem { Id = withdrawn.ItemId, PracticeId = withdrawn.PracticeId };
        if (item.PracticeId != withdrawn.PracticeId) return;
        var version = withdrawn.Version > 0 ? withdrawn.Version : item.Version;
        item.WithdrawnVersion = Math.Max(version, item.WithdrawnVersion ?? 0);
        item.Withdrawn = item.Version <= item.WithdrawnVersion;
        session.Store(item);
    }
}

/// <summary>The assessments built into the portal (see the intake content module); codes as in the task's subject.</summary>
internal static class Instruments
{
    public static readonly IReadOnlyDictionary<string, string> BuiltIn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["phq9"] = "PHQ-9 depression questionnaire",
        ["gad7"] = "GAD-7 anxiety questionnaire",
    };
}
