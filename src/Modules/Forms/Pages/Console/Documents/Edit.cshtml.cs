using Portal.Forms.Documents;
using Portal.Forms.Pages.Shared;
using Portal.Forms.Withdrawing;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Documents;

/// <summary>
/// The document editor: the same slices as PUT /api/documents/{id} and POST /api/documents/{id}/publish and
/// /withdraw.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EditModel(
    IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SaveDocumentRequest> validator,
    IValidator<TranslateDocumentRequest> translationValidator, TimeProvider clock)
    : EditorPage
{
    [FromRoute]
    public Guid DocumentId { get; set; }

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Markdown { get; set; }

    [BindProperty]
    public int Revision { get; set; }

    [BindProperty]
    public bool RequireResign { get; set; }

    /// <summary>The language of the translation posted ("es"), its title and Markdown.</summary>
    [BindProperty]
    public string? Language { get; set; }

    [BindProperty]
    public string? TranslationTitle { get; set; }

    [BindProperty]
    public string? TranslationMarkdown { get; set; }

    internal DocumentDetail? Document { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) => await Show(cancellation);

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellation)
    {
        var request = new SaveDocumentRequest(Title, Markdown ?? string.Empty, Revision);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).ToList();
            return await Show(cancellation);
        }
        // A session of its own, ended before the page is rendered: a refused save gives back the document's edit lock
        // (its transaction) at once.
        await using (var saving = store.LightweightSession())
        {
            var outcome = await SaveDocumentEndpoint.SaveAsync(DocumentId, request, new SliceContext(HttpContext, saving, clock));
            await CommitAsync(outcome, saving, _ => "Saved. Publish to show it to clients.", cancellation);
        }
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostTranslateAsync(CancellationToken cancellation)
    {
        var request = new TranslateDocumentRequest(TranslationTitle, TranslationMarkdown, Revision);
        var validation = await translationValidator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).ToList();
            return await Show(cancellation);
        }
        await using (var saving = store.LightweightSession())
        {
            var outcome = await TranslateDocumentEndpoint.SaveAsync(DocumentId, Language ?? string.Empty, request,
                new SliceContext(HttpContext, saving, clock));
            if (await CommitAsync(outcome, saving,
                    _ => $"Saved the {ContentLanguages.EnglishName(Language)} version. Publish to show it to clients.", cancellation))
                (TranslationTitle, TranslationMarkdown) = (null, null);
        }
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        var outcome = await PublishDocumentEndpoint.PublishAsync(DocumentId, new PublishDocumentRequest(Revision, RequireResign),
            new SliceContext(HttpContext, session, clock), outbox);
        await CommitAsync(outcome, session, version => $"Published version {version.Number}.", cancellation);
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellation)
    {
        var outcome = await WithdrawContentEndpoint.WithdrawAsync<PracticeDocument>(
            DocumentId, new SliceContext(HttpContext, session, clock), outbox);
        await CommitAsync(outcome, session, _ => WithdrawContentEndpoint.Done(PracticeDocument.Noun), cancellation);
        return await Show(cancellation);
    }

    private async Task<IActionResult> Show(CancellationToken cancellation)
    {
        Document = (await GetDocumentsEndpoint.DetailAsync(DocumentId, User, session, cancellation)).Value;
        return Document is null ? NotFound() : Page();
    }
}
