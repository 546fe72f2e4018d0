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

    /// <summary>The client confirmed signing as the name typed, which is not their legal name.</summary>
    [BindProperty]
    public bool SignAsTypedName { get; set; }

    /// <summary>Set when the name typed is not the legal name: the question the page asks before signing.</summary>
    internal string? NameQuestion { get; private set; }

    internal DocumentForSigning? Document { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Document = (await ReadDocumentEndpoint.ReadAsync(DocumentId, Version, User, session, cancellation)).Value;
        return Document is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var request = new SignDocumentRequest(SignVersion, ContentHash, FullName, Agree, SignAsTypedName);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (validation.IsValid)
        {
            var outcome = await SignDocumentEndpoint.SignAsync(DocumentId, request, new SliceContext(HttpContext, session, clock), outbox);
            if (outcome.Succeeded)
            {
                await session.SaveChangesAsync(cancellation);
                // A contact who may not see results signs, but is not shown the signed copy.
                return Redirect(CurrentUser.From(User)!.MaySeeResults
                    ? $"/portal/documents/signatures/{outcome.Value.SignatureId}"
                    : $"/portal/documents/{DocumentId}");
            }
            if (outcome.Refusal.IsNotFound) return NotFound();
            if (outcome.Refusal.Extensions?.GetValueOrDefault("code") is SignDocumentEndpoint.DifferentNameCode)
                NameQuestion = outcome.Refusal.Messages().First();
            else
                Errors = [.. outcome.Refusal.Messages()];
            Response.StatusCode = outcome.Status;
        }
        else
        {
            // The validator speaks English (the API's words); each message's English wording is its key in the client's texts.
            var text = new SliceContext(HttpContext, session, clock).Text;
            Errors = validation.Errors.Select(e => text[e.ErrorMessage].Value).Distinct().ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Document = (await ReadDocumentEndpoint.ReadAsync(DocumentId, SignVersion, User, session, cancellation)).Value;
        return Document is null ? NotFound() : Page();
    }
}
