using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Documents;

namespace Portal.Forms.Pages.Console.Signatures;

/// <summary>The provider's printable copy of a client's signature.</summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class SignedCopyModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid SignatureId { get; set; }

    internal SignedCopy? Copy { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Copy = await GetSignedCopyEndpoint.LoadAsync(SignatureId, User, HttpContext, session, clock, cancellation);
        return Copy is null ? NotFound() : Page();
    }
}
