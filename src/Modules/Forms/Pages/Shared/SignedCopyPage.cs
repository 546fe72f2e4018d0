using Portal.Forms.Documents;

namespace Portal.Forms.Pages.Shared;

/// <summary>
/// The printable copy of a signature (<c>_FormsSignedCopy.cshtml</c>): the client's page and the provider's page differ
/// only in their route, policy and way back; the slice decides who may see it.
/// </summary>
public abstract class SignedCopyPage(IDocumentSession session, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid SignatureId { get; set; }

    internal SignedCopy? Copy { get; private set; }

    /// <summary>Set when support opens it without a break-glass grant: the page says so, answered 403.</summary>
    internal Refusal? Hidden { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var outcome = await GetSignedCopyEndpoint.LoadAsync(SignatureId, new SliceContext(HttpContext, session, clock));
        Copy = outcome.Value;
        if (outcome.Refusal is { Status: StatusCodes.Status403Forbidden } hidden) return HealthHidden.Show(this, Hidden = hidden);
        return Copy is null ? NotFound() : Page();
    }
}
