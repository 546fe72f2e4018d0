using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Shared;
using Wolverine.Http;

namespace Portal.Forms.Documents;

internal sealed record ClientDocumentSummary(Guid DocumentId, string Title, int LatestVersion, int? SignedVersion, Guid? SignatureId,
    DateTimeOffset? SignedAt, bool NeedsSignature);

/// <summary>What a client is shown before signing: exactly this HTML, whose SHA-256 is <see cref="ContentHash"/>.</summary>
internal sealed record DocumentForSigning(Guid DocumentId, int Version, int LatestVersion, string Title, string Html, string ContentHash,
    string ConsentText, Guid? SignatureId, bool NeedsSignature);

public static class ReadDocumentEndpoint
{
    [WolverineGet("/api/portal/documents"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> List(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var list = await ListAsync(principal, session, cancellation);
        return list is null ? FormsAccess.NotFound("client") : Results.Ok(list);
    }

    [WolverineGet("/api/portal/documents/{documentId}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(Guid documentId, int? version, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var document = await ReadAsync(documentId, version, principal, session, cancellation);
        return document is null ? FormsAccess.NotFound("document") : Results.Ok(document);
    }

    /// <summary>The published documents of the client's practice and whether each needs their signature.</summary>
    internal static async Task<IReadOnlyList<ClientDocumentSummary>?> ListAsync(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        if (card is null) return null;
        var documents = await session.Query<PracticeDocument>().Where(d => d.PracticeId == card.PracticeId).ToListAsync(cancellation);
        var signatures = await Signatures.OfClientAsync(session, card.Id, cancellation);
        return documents.Where(d => d.Latest is not null).OrderBy(d => d.Title).Select(d =>
        {
            var signed = signatures.Where(s => s.DocumentId == d.Id).MaxBy(s => s.DocumentVersion);
            return new ClientDocumentSummary(d.Id, d.Latest!.Title, d.Latest.Number, signed?.DocumentVersion, signed?.SignatureId,
                signed?.SignedAt, Signatures.NeedsSignature(d, signed?.DocumentVersion));
        }).ToList();
    }

    /// <summary>One published version (the latest unless <paramref name="version"/> names another) of a document of the client's practice.</summary>
    internal static async Task<DocumentForSigning?> ReadAsync(Guid documentId, int? version, ClaimsPrincipal principal, IQuerySession session,
        CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var document = await session.LoadAsync<PracticeDocument>(documentId, cancellation);
        if (card is null || document is null || document.PracticeId != card.PracticeId) return null;
        var shown = version is { } number ? document.Version(number) : document.Latest;
        if (shown is null) return null;

        var mine = (await Signatures.OfClientAsync(session, card.Id, cancellation)).Where(s => s.DocumentId == documentId).ToList();
        var signed = mine.MaxBy(s => s.DocumentVersion);
        var thisVersion = mine.FirstOrDefault(s => s.DocumentVersion == shown.Number);
        return new DocumentForSigning(document.Id, shown.Number, document.Latest!.Number, shown.Title, shown.Html, shown.ContentHash,
            ElectronicConsent.Text, thisVersion?.SignatureId, Signatures.NeedsSignature(document, signed?.DocumentVersion));
    }
}
