using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Clients;
using Portal.Forms.Shared;
using Wolverine.Http;

namespace Portal.Forms.Documents;

/// <summary>
/// A signed copy: the signature record and the HTML of the version signed. <see cref="ContentVerified"/> says the HTML
/// still hashes to the hash recorded at signing.
/// </summary>
internal sealed record SignedCopy(DocumentSigned Signature, string Html, bool ContentVerified);

public static class GetSignedCopyEndpoint
{
    [WolverineGet("/api/portal/signatures/{signatureId}"), Authorize(Policy = PortalPolicies.Client)]
    public static Task<IResult> ForClient(Guid signatureId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation) => Respond(signatureId, principal, http, session, clock, cancellation);

    [WolverineGet("/api/signatures/{signatureId}"), Authorize(Policy = PortalPolicies.Staff)]
    public static Task<IResult> ForStaff(Guid signatureId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation) => Respond(signatureId, principal, http, session, clock, cancellation);

    private static async Task<IResult> Respond(Guid signatureId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var copy = await LoadAsync(signatureId, principal, http, session, clock, cancellation);
        return copy is null ? FormsAccess.NotFound("signature") : Results.Ok(copy);
    }

    /// <summary>The signed copy when the caller may see the client who signed it; the read is audited.</summary>
    internal static async Task<SignedCopy?> LoadAsync(Guid signatureId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var signature = await Signatures.FindAsync(session, signatureId, cancellation);
        var user = CurrentUser.From(principal);
        var card = signature is null ? null : await session.LoadAsync<FormsClient>(signature.ClientId, cancellation);
        if (signature is null || user is null || card is null || !card.IsVisibleTo(user)) return null;

        var document = await session.LoadAsync<PracticeDocument>(signature.DocumentId, cancellation);
        var html = document?.Version(signature.DocumentVersion)?.Html ?? string.Empty;
        Audit.Record(session, http, clock, "forms.signature.read", "DocumentSignature", signatureId.ToString(), signature.ClientId);
        await session.SaveChangesAsync(cancellation);
        return new SignedCopy(signature, html, DocumentRenderer.Hash(html) == signature.ContentHash);
    }
}

internal sealed record ClientSignatureSummary(Guid SignatureId, Guid DocumentId, string DocumentTitle, int DocumentVersion, string SignedName,
    DateTimeOffset SignedAt);

public static class GetClientSignaturesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/signatures"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid clientId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var list = await ListAsync(clientId, principal, http, session, clock, cancellation);
        return list is null ? FormsAccess.NotFound("client") : Results.Ok(list);
    }

    internal static async Task<IReadOnlyList<ClientSignatureSummary>?> ListAsync(Guid clientId, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var card = await FormsAccess.VisibleClientAsync(session, clientId, principal, http, clock, cancellation);
        if (card is null) return null;
        var signatures = await Signatures.OfClientAsync(session, clientId, cancellation);
        Audit.Record(session, http, clock, "forms.signature.list", "DocumentSignature", null, clientId);
        await session.SaveChangesAsync(cancellation);
        return signatures.OrderByDescending(s => s.SignedAt)
            .Select(s => new ClientSignatureSummary(s.SignatureId, s.DocumentId, s.DocumentTitle, s.DocumentVersion, s.SignedName, s.SignedAt))
            .ToList();
    }
}
