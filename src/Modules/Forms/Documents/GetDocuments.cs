using System.Security.Claims;

namespace Portal.Forms.Documents;

internal sealed record DocumentSummary(Guid DocumentId, string Title, int? LatestVersion, bool HasUnpublishedChanges, DateTimeOffset UpdatedAt,
    DateTimeOffset? WithdrawnAt);

internal sealed record DocumentVersionView(int Number, string Title, string ContentHash, bool RequireResign, DateTimeOffset PublishedAt)
{
    /// <summary>The version's other languages, by code: the title and the SHA-256 of each text.</summary>
    public IReadOnlyDictionary<string, TranslationView> Translations { get; init; } = new Dictionary<string, TranslationView>();
}

internal sealed record TranslationView(string Title, string ContentHash);

internal sealed record DocumentDetail(Guid DocumentId, string Title, string Markdown, int Revision, bool HasUnpublishedChanges,
    string PreviewHtml, IReadOnlyList<DocumentVersionView> Versions, DateTimeOffset? WithdrawnAt)
{
    /// <summary>The working copy in other languages, by code (Spanish: "es"), as the provider last saved it.</summary>
    public IReadOnlyDictionary<string, DocumentTranslation> Translations { get; init; } = new Dictionary<string, DocumentTranslation>();
}

public static class GetDocumentsEndpoint
{
    [WolverineGet("/api/documents"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> List(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ListAsync(principal, session, cancellation));

    [WolverineGet("/api/documents/{documentId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Get(Guid documentId, HttpContext http, IQuerySession session) =>
        (await DetailAsync(documentId, http.User, session, http.RequestAborted)).ToResult(http);

    internal static async Task<IReadOnlyList<DocumentSummary>> ListAsync(
        ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var owner = FormsAccess.Owner(CurrentUser.From(principal));
        if (owner is null) return [];
        var documents = await session.Query<PracticeDocument>().Where(d => d.PracticeId == owner.Value.PracticeId)
            .OrderBy(d => d.Title).ToListAsync(cancellation);
        return documents
            .Select(d => new DocumentSummary(d.Id, d.Title, d.Latest?.Number, d.HasUnpublishedChanges, d.UpdatedAt, d.WithdrawnAt))
            .ToList();
    }

    internal static async Task<Outcome<DocumentDetail>> DetailAsync(Guid documentId, ClaimsPrincipal principal, IQuerySession session,
        CancellationToken cancellation)
    {
        var document = await session.LoadAsync<PracticeDocument>(documentId, cancellation);
        if (document is null || !FormsAccess.CanManage(CurrentUser.From(principal), document.PracticeId, document.ProviderId))
            return Refusal.NotFound(PracticeDocument.Noun);
        return new DocumentDetail(document.Id, document.Title, document.Markdown, document.Revision, document.HasUnpublishedChanges,
            DocumentRenderer.Render(document.Title, document.Markdown),
            document.Versions.OrderByDescending(v => v.Number)
                .Select(v => new DocumentVersionView(v.Number, v.Title, v.ContentHash, v.RequireResign, v.PublishedAt)
                {
                    Translations = v.Translations.ToDictionary(t => t.Key, t => new TranslationView(t.Value.Title, t.Value.ContentHash)),
                }).ToList(),
            document.WithdrawnAt)
        {
            Translations = document.Translations,
        };
    }
}
