using Portal.Forms.Documents;

namespace Portal.Forms.Pages.Console.Documents;

[Authorize(Policy = PortalPolicies.Provider)]
public sealed class IndexModel(IDocumentSession session, IValidator<CreateDocumentRequest> validator, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Markdown { get; set; }

    internal IReadOnlyList<DocumentSummary> Documents { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation) =>
        Documents = await GetDocumentsEndpoint.ListAsync(User, session, cancellation);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var request = new CreateDocumentRequest(Title, Markdown ?? string.Empty);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).ToList();
            Documents = await GetDocumentsEndpoint.ListAsync(User, session, cancellation);
            return Page();
        }
        var document = CreateDocumentEndpoint.Create(request, new SliceContext(HttpContext, session, clock));
        await session.SaveChangesAsync(cancellation);
        return Redirect($"/console/documents/{document.Id}");
    }
}
