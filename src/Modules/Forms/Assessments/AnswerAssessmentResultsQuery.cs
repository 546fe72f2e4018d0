using Portal.Forms.Documents;

namespace Portal.Forms.Assessments;

/// <summary>
/// Answers another module's questions about completed assessments and signed documents (Integrations' FHIR API):
/// facts only, read from this module's own documents and events. The asker decides who may see them.
/// </summary>
public static class RecordQueriesHandler
{
    public static async Task<AssessmentResultsAnswer> Handle(AssessmentResultsQuery query, IQuerySession session,
        CancellationToken cancellation)
    {
        IReadOnlyList<AssessmentResult> results = query.ResultId is { } id
            ? await session.LoadAsync<AssessmentResult>(id, cancellation) is { } one ? [one] : []
            : await session.Query<AssessmentResult>().Where(r => r.ClientId == query.ClientId)
                .OrderBy(r => r.CompletedAt).ToListAsync(cancellation);
        return new AssessmentResultsAnswer([.. results
            .Where(r => query.ClientId is null || r.ClientId == query.ClientId)
            .Select(r => new AssessmentFacts(r.Id, r.ClientId, r.Instrument, [.. r.Answers], r.Score, r.Severity, r.CompletedAt))]);
    }

    public static async Task<SignaturesAnswer> Handle(SignaturesQuery query, IQuerySession session, CancellationToken cancellation)
    {
        IReadOnlyList<DocumentSigned> signatures = query.SignatureId is { } id
            ? await Signatures.FindAsync(session, id, cancellation) is { } one ? [one] : []
            : await Signatures.OfClientAsync(session, query.ClientId ?? Guid.Empty, cancellation);
        return new SignaturesAnswer([.. signatures
            .Where(s => query.ClientId is null || s.ClientId == query.ClientId)
            .OrderBy(s => s.SignedAt)
            .Select(s => new SignatureFacts(s.SignatureId, s.ClientId, s.DocumentId, s.DocumentVersion, s.DocumentTitle, s.ContentHash,
                s.SignedAt) { Language = s.Language ?? "en" })]);
    }
}
