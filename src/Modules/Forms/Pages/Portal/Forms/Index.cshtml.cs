using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Portal.Forms;

[Authorize(Policy = PortalPolicies.Client)]
public sealed class IndexModel(IQuerySession session) : PageModel
{
    internal IReadOnlyList<ClientFormSummary> Forms { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Forms = (await FillFormEndpoint.ListAsync(User, session, cancellation)).Value ?? [];
        return Page();
    }
}
