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
    public static async Task<IResult> Put(Guid documentId, SaveDocumentRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(documentId, request, new SliceContext(http, session, clock));
        return outcome.Map(d => new DocumentSavedResponse(d.Id, d.Revision)).ToResult(http);
    }

    /// <summary>Saves the working copy. Published versions are untouched: a change shows up only when published.</summary>
    internal static async Task<Outcome<PracticeDocument>> SaveAsync(Guid documentId, SaveDocumentRequest request, SliceContext context)
    {
        var outcome = await PracticeContent.ForChangeAsync<PracticeDocument>(context, documentId, request.Revision);
        if (!outcome.Succeeded) return outcome;
        var document = outcome.Value;
        document.Title = request.Title!.Trim();
        document.Markdown = request.Markdown ?? string.Empty;
        PracticeContent.Changed(context, document, "save");
        return outcome;
    }
}
