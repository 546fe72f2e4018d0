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
    public int Version { get; set; }
    public List<string> FieldKeys { get; set; } = [];
    public bool Withdrawn { get; set; }
}

/// <summary>Keeps <see cref="CatalogItem"/> current from the content module's messages.</summary>
public static class CatalogHandler
{
    public static async Task Handle(DocumentPublished published, IDocumentSession session)
    {
        var item = await session.LoadAsync<CatalogItem>(published.DocumentId) ?? new CatalogItem { Id = published.DocumentId };
        if (item.Version > published.Version) return;
        item.PracticeId = published.PracticeId;
        item.Kind = CatalogItem.DocumentKind;
        item.Title = published.Title;
        item.Version = published.Version;
        item.Withdrawn = false;
        session.Store(item);
    }

    public static async Task Handle(IntakeFormPublished published, IDocumentSession session)
    {
        var item = await session.LoadAsync<CatalogItem>(published.FormId) ?? new CatalogItem { Id = published.FormId };
        if (item.Version > published.Version) return;
        item.PracticeId = published.PracticeId;
        item.Kind = CatalogItem.FormKind;
        item.Title = published.Title;
        item.Version = published.Version;
        item.FieldKeys = [.. published.FieldKeys];
        item.Withdrawn = false;
        session.Store(item);
    }

    public static async Task Handle(CatalogItemWithdrawn withdrawn, IDocumentSession session)
    {
        var item = await session.LoadAsync<CatalogItem>(withdrawn.ItemId);
        if (item is null || item.PracticeId != withdrawn.PracticeId) return;
        item.Withdrawn = true;
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
