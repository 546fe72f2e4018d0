using Portal.Forms.Roster;

namespace Portal.Forms.Documents;

/// <summary>
/// A signed copy: the signature record and the HTML of the version signed. <see cref="ContentVerified"/> says the HTML
/// still hashes to the hash recorded at signing.
/// </summary>
internal sealed record SignedCopy(DocumentSigned Signature, string Html, bool ContentVerified);

public static class GetSignedCopyEndpoint
{
    [WolverineGet("/api/portal/signatures/{signatureId}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> ForClient(Guid signatureId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await LoadAsync(signatureId, new SliceContext(http, session, clock))).ToResult(http);

    [WolverineGet("/api/signatures/{signatureId}"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> ForStaff(Guid signatureId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await LoadAsync(signatureId, new SliceContext(http, session, clock))).ToResult(http);

    /// <summary>The signed copy when the caller may see the client who signed it; the read is audited.</summary>
    internal static async Task<Outcome<SignedCopy>> LoadAsync(Guid signatureId, SliceContext context)
    {
        var session = context.Session;
        var signature = await Signatures.FindAsync(session, signatureId, context.Cancellation);
        var user = context.User;
        var card = signature is null ? null : await session.LoadAsync<FormsClient>(signature.ClientId, context.Cancellation);
        if (signature is null || user is null || card is null || !card.IsVisibleTo(user)) return Refusal.NotFound("signature");
        if (await FormsAccess.HealthVisibleAsync(context, card) is { } hidden) return hidden;

        // The version signed, even when the document was withdrawn since: a signed copy never goes away.
        var document = await session.LoadAsync<PracticeDocument>(signature.DocumentId, context.Cancellation);
        var html = Signatures.SignedHtml(document, signature);
        context.Audit("forms.signature.read", "DocumentSignature", signatureId.ToString(), signature.ClientId);
        await session.SaveChangesAsync(context.Cancellation);
        return new SignedCopy(signature, html, DocumentRenderer.Hash(html) == signature.ContentHash);
    }
}

internal sealed record ClientSignatureSummary(Guid SignatureId, Guid DocumentId, string DocumentTitle, int DocumentVersion, string SignedName,
    DateTimeOffset SignedAt, string? LegalName, bool SignedAsDifferentName, string? SignedFor = null);

public static class GetClientSignaturesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/signatures"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid clientId, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        (await ListAsync(clientId, new SliceContext(http, session, clock))).ToResult(http);

    internal static async Task<Outcome<IReadOnlyList<ClientSignatureSummary>>> ListAsync(Guid clientId, SliceContext context)
    {
        var card = await FormsAccess.VisibleClientAsync(context, clientId);
        if (card is null) return Refusal.NotFound("client");
        var signatures = await Signatures.OfClientAsync(context.Session, clientId, context.Cancellation);
        context.Audit("forms.signature.list", "DocumentSignature", null, clientId);
        await context.Session.SaveChangesAsync(context.Cancellation);
        return Outcome<IReadOnlyList<ClientSignatureSummary>>.Ok(signatures.OrderByDescending(s => s.SignedAt)
            .Select(s => new ClientSignatureSummary(s.SignatureId, s.DocumentId, s.DocumentTitle, s.DocumentVersion, s.SignedName, s.SignedAt,
                s.LegalName, s.SignedAsDifferentName, s.SignedFor))
            .ToList());
    }
}
