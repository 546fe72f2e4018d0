using Portal.Forms.Documents;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Portal.Documents;

/// <summary>Read a document version and sign it: the same slice as POST /api/portal/documents/{id}/signatures.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class SignModel(
    IDocumentSession session, IMartenOutbox outbox, IValidator<SignDocumentRequest> validator, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid DocumentId { get; set; }

    [FromQuery]
    public int? Version { get; set; }

    [BindProperty]
    public int SignVersion { get; set; }

    [BindProperty]
    public string? ContentHash { get; set; }

    [BindProperty]
    public string? FullName { get; set; }

    [BindProperty]
    public bool Agree { get; set; }

    internal DocumentForSigning? Document { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Document = (await ReadDocumentEndpoint.ReadAsync(DocumentId, Version, User, session, cancellation)).Value;
        return Document is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var request = new SignDocumentRequest(SignVersion, ContentHash, FullName, Agree);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (validation.IsValid)
        {
            var outcome = await SignDocumentEndpoint.SignAsync(DocumentId, request, new SliceContext(HttpContext, session, clock), outbox);
            if (outcome.Succeeded)
            {
                await session.SaveChangesAsync(cancellation);
                return Redirect($"/portal/documents/signatures/{outcome.Value.SignatureId}");
            }
            if (outcome.Refusal.IsNotFound) return NotFound();
            Errors = [.. outcome.Refusal.Messages()];
        }
        else
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).Distinct().ToList();
        }

        Document = (await ReadDocumentEndpoint.ReadAsync(DocumentId, SignVersion, User, session, cancellation)).Value;
        return Document is null ? NotFound() : Page();
    }
}
