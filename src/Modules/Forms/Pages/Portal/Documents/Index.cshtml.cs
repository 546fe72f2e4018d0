using Portal.Forms.Documents;

namespace Portal.Forms.Pages.Portal.Documents;

[Authorize(Policy = PortalPolicies.Client)]
public sealed class IndexModel(IQuerySession session) : PageModel
{
    internal IReadOnlyList<ClientDocumentSummary> Documents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Documents = (await ReadDocumentEndpoint.ListAsync(User, session, cancellation)).Value ?? [];
        return Page();
    }
}
