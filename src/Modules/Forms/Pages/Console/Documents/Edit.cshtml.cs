using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Documents;
using Portal.Forms.Shared;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Documents;

/// <summary>The document editor: the same slices as PUT /api/documents/{id} and POST /api/documents/{id}/publish.</summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EditModel(IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SaveDocumentRequest> validator, TimeProvider clock) : PageModel
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

    internal DocumentDetail? Document { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal string? Message { get; private set; }

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
        Outcome<PracticeDocument> outcome;
        await using (var saving = store.LightweightSession())
        {
            outcome = await SaveDocumentEndpoint.SaveAsync(DocumentId, request, User, HttpContext, saving, clock, cancellation);
            if (outcome.Succeeded) await saving.SaveChangesAsync(cancellation);
        }
        if (outcome.Succeeded)
        {
            Message = "Saved. Publish to show it to clients.";
        }
        else Errors = outcome.Messages().ToList();
        return await Show(cancellation);
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        var outcome = await PublishDocumentEndpoint.PublishAsync(DocumentId, new PublishDocumentRequest(Revision, RequireResign), User, HttpContext,
            session, outbox, clock, cancellation);
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            Message = $"Published version {outcome.Value!.Number}.";
        }
        else Errors = outcome.Messages().ToList();
        return await Show(cancellation);
    }

    private async Task<IActionResult> Show(CancellationToken cancellation)
    {
        Document = await GetDocumentsEndpoint.DetailAsync(DocumentId, User, session, cancellation);
        return Document is null ? NotFound() : Page();
    }
}
