using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.FormResponses;

/// <summary>A client's answers to a form, laid out by the version they answered: the same slice as GET /api/form-responses/{id}.</summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class DetailModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ResponseId { get; set; }

    internal FormResponseDetail? Answers { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Answers = (await GetFormResponsesEndpoint.DetailAsync(ResponseId, new SliceContext(HttpContext, session, clock))).Value;
        return Answers is null ? NotFound() : Page();
    }
}
