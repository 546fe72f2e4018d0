namespace Portal.Forms.Documents;

/// <summary>
/// The document's working copy in another language (Spanish: <c>es</c>), title and Markdown; <see cref="Revision"/> is
/// the one the editor loaded. Like the English text, it reaches clients when the document is next published.
/// </summary>
public sealed record TranslateDocumentRequest(string? Title, string? Markdown, int Revision);

internal sealed class TranslateDocumentValidator : AbstractValidator<TranslateDocumentRequest>
{
    public TranslateDocumentValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Markdown).NotEmpty().MaximumLength(200_000);
        RuleFor(r => r.Revision).GreaterThan(0);
    }
}

public static class TranslateDocumentEndpoint
{
    [WolverinePut("/api/documents/{documentId}/translations/{language}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid documentId, string language, TranslateDocumentRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(documentId, language, request, new SliceContext(http, session, clock));
        return outcome.Map(d => new DocumentSavedResponse(d.Id, d.Revision)).ToResult(http);
    }

    [WolverineDelete("/api/documents/{documentId}/translations/{language}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Delete(Guid documentId, string language, int revision, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var outcome = await RemoveAsync(documentId, language, revision, new SliceContext(http, session, clock));
        return outcome.Map(d => new DocumentSavedResponse(d.Id, d.Revision)).ToResult(http);
    }

    /// <summary>Adds or changes the text in <paramref name="language"/>; versions already published keep theirs.</summary>
    internal static async Task<Outcome<PracticeDocument>> SaveAsync(Guid documentId, string language, TranslateDocumentRequest request,
        SliceContext context)
    {
        if (ContentLanguages.Refuse(language) is { } refused) return refused;
        var outcome = await PracticeContent.ForChangeAsync<PracticeDocument>(context, documentId, request.Revision);
        if (!outcome.Succeeded) return outcome;
        outcome.Value.Translations[language] = new DocumentTranslation { Title = request.Title!.Trim(), Markdown = request.Markdown! };
        PracticeContent.Changed(context, outcome.Value, $"translation.save", $"{documentId}/{language}");
        return outcome;
    }

    /// <summary>Removes the working copy's text in <paramref name="language"/>; from the next version on, its readers read English.</summary>
    internal static async Task<Outcome<PracticeDocument>> RemoveAsync(Guid documentId, string language, int revision, SliceContext context)
    {
        if (ContentLanguages.Refuse(language) is { } refused) return refused;
        var outcome = await PracticeContent.ForChangeAsync<PracticeDocument>(context, documentId, revision, "removing a translation");
        if (!outcome.Succeeded) return outcome;
        if (!outcome.Value.Translations.Remove(language)) return Refusal.NotFound("translation");
        PracticeContent.Changed(context, outcome.Value, $"translation.remove", $"{documentId}/{language}");
        return outcome;
    }
}
