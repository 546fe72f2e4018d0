namespace Portal.Forms.Documents;

/// <summary>Changes to the working copy; <see cref="Revision"/> is the one the editor loaded.</summary>
public sealed record SaveDocumentRequest(string? Title, string? Markdown, int Revision);

internal sealed class SaveDocumentValidator : AbstractValidator<SaveDocumentRequest>
{
    public SaveDocumentValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Markdown).NotNull().MaximumLength(200_000);
        RuleFor(r => r.Revision).GreaterThan(0);
    }
}

public static class SaveDocumentEndpoint
{
    [WolverinePut("/api/documents/{documentId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(
        Guid documentId, SaveDocumentRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(documentId, request, new SliceContext(http, session, clock));
        return outcome.Map(d => new DocumentSavedResponse(d.Id, d.Revision)).ToResult(http);
    }

    /// <summary>A change reaches clients only when it is published.</summary>
    internal static Task<Outcome<PracticeDocument>> SaveAsync(Guid documentId, SaveDocumentRequest request, SliceContext context) =>
        PracticeContent.SaveAsync<PracticeDocument>(context, documentId, request.Revision, request.Title!,
            document => document.Markdown = request.Markdown ?? string.Empty);
}
