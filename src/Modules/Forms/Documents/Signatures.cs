namespace Portal.Forms.Documents;

/// <summary>Reads signature records straight from the event store, where they are append-only.</summary>
internal static class Signatures
{
    public static async Task<IReadOnlyList<DocumentSigned>> OfClientAsync(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        await session.Events.QueryRawEventDataOnly<DocumentSigned>()
            .Where(s => s.ClientId == clientId)
            .ToListAsync(cancellation);

    public static async Task<DocumentSigned?> FindAsync(IQuerySession session, Guid signatureId, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(signatureId, token: cancellation);
        return events.Select(e => e.Data).OfType<DocumentSigned>().SingleOrDefault();
    }

    /// <summary>
    /// A client needs to sign when they never signed the document, or when a version published after the one they
    /// signed asked existing signers to sign again.
    /// </summary>
    public static bool NeedsSignature(PracticeDocument document, int? signedVersion) =>
        document.Latest is not null
        && (signedVersion is null || document.Versions.Any(v => v.Number > signedVersion && v.RequireResign));

    /// <summary>
    /// The HTML of the text a signature signed: the version's text (English or a translation) with the hash recorded,
    /// else the version's text in the language recorded, so that a changed text shows up as not verified.
    /// </summary>
    public static string SignedHtml(PracticeDocument? document, DocumentSigned signature)
    {
        var version = document?.Version(signature.DocumentVersion);
        if (version is null) return string.Empty;
        return (version.WithHash(signature.ContentHash) ?? version.In(signature.Language ?? Portal.BuildingBlocks.Localization.PortalLanguages.English)).Html;
    }
}
