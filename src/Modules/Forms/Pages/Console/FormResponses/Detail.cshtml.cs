using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.FormResponses;

/// <summary>A client's answers to a form, laid out by the version they answered.</summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class DetailModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ResponseId { get; set; }

    internal FormResponseDetail? Answers { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Answers = await GetFormResponsesEndpoint.DetailAsync(ResponseId, User, HttpContext, session, clock, cancellation);
        return Answers is null ? NotFound() : Page();
    }
}
