using System.Security.Claims;
using Portal.BuildingBlocks.Localization;

namespace Portal.Forms.Documents;

internal sealed record ClientDocumentSummary(Guid DocumentId, string Title, int LatestVersion, int? SignedVersion, Guid? SignatureId,
    DateTimeOffset? SignedAt, bool NeedsSignature);

/// <summary>What a client is shown before signing: exactly this HTML, whose SHA-256 is <see cref="ContentHash"/>.</summary>
internal sealed record DocumentForSigning(Guid DocumentId, int Version, int LatestVersion, string Title, string Html, string ContentHash,
    string ConsentText, Guid? SignatureId, bool NeedsSignature)
{
    /// <summary>This version is signed (also for a contact who is not shown the signed copy).</summary>
    public bool SignedThisVersion { get; init; }

    /// <summary>The language of the text shown: the reader's where the version has it, else English ("en").</summary>
    public string Language { get; init; } = PortalLanguages.English;
}

public static class ReadDocumentEndpoint
{
    [WolverineGet("/api/portal/documents"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> List(HttpContext http, IQuerySession session) =>
        (await ListAsync(http.User, session, http.RequestAborted)).ToResult(http);

    [WolverineGet("/api/portal/documents/{documentId}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(Guid documentId, int? version, HttpContext http, IQuerySession session) =>
        (await ReadAsync(documentId, version, http.User, session, http.RequestAborted)).ToResult(http);

    /// <summary>
    /// The published documents of the client's practice and whether each needs their signature. A withdrawn document is
    /// listed only when the client signed it, so that they still find their copy.
    /// </summary>
    internal static async Task<Outcome<IReadOnlyList<ClientDocumentSummary>>> ListAsync(ClaimsPrincipal principal, IQuerySession session,
        CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        if (card is null) return Refusal.NotFound("client");
        var documents = await session.Query<PracticeDocument>().Where(d => d.PracticeId == card.PracticeId).ToListAsync(cancellation);
        var signatures = await Signatures.OfClientAsync(session, card.Id, cancellation);
        // A contact without "see results" learns that a document is signed, never the signed copy (no link to it).
        var seesCopies = CurrentUser.From(principal)!.MaySeeResults;
        IReadOnlyList<ClientDocumentSummary> list = documents.Where(d => d.Latest is not null).OrderBy(d => d.Title)
            .Select(d => (Document: d, Signed: signatures.Where(s => s.DocumentId == d.Id).MaxBy(s => s.DocumentVersion)))
            .Where(x => x.Document.WithdrawnAt is null || x.Signed is not null)
            .Select(x => new ClientDocumentSummary(x.Document.Id, x.Document.Latest!.In(PortalLanguages.Current).Title, x.Document.Latest.Number, x.Signed?.DocumentVersion,
                seesCopies ? x.Signed?.SignatureId : null, x.Signed?.SignedAt, Signatures.NeedsSignature(x.Document, x.Signed?.DocumentVersion)))
            .ToList();
        return Outcome<IReadOnlyList<ClientDocumentSummary>>.Ok(list);
    }

    /// <summary>
    /// One published version (the latest unless <paramref name="version"/> names another) of a document of the client's
    /// practice. A withdrawn document can still be read and signed: a task given before the withdrawal may ask for it.
    /// </summary>
    internal static async Task<Outcome<DocumentForSigning>> ReadAsync(Guid documentId, int? version, ClaimsPrincipal principal, IQuerySession session,
        CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var document = await session.LoadAsync<PracticeDocument>(documentId, cancellation);
        if (card is null || document is null || document.PracticeId != card.PracticeId) return Refusal.NotFound(PracticeDocument.Noun);
        var shown = version is { } number ? document.Version(number) : document.Latest;
        if (shown is null) return Refusal.NotFound(PracticeDocument.Noun);

        var mine = (await Signatures.OfClientAsync(session, card.Id, cancellation)).Where(s => s.DocumentId == documentId).ToList();
        var signed = mine.MaxBy(s => s.DocumentVersion);
        var thisVersion = mine.FirstOrDefault(s => s.DocumentVersion == shown.Number);
        var copy = CurrentUser.From(principal)!.MaySeeResults ? thisVersion?.SignatureId : null;
        // The reader's language where the practice wrote the version in it; its hash is what signing sends back.
        var text = shown.In(PortalLanguages.Current);
        return new DocumentForSigning(document.Id, shown.Number, document.Latest!.Number, text.Title, text.Html, text.ContentHash,
            ElectronicConsent.In(PortalLanguages.Current), copy, Signatures.NeedsSignature(document, signed?.DocumentVersion))
        {
            SignedThisVersion = thisVersion is not null,
            Language = text.Language,
        };
    }
}
