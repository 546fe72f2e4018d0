using Portal.Forms.IntakeForms;
using Portal.Forms.Pages.Shared;

namespace Portal.Forms.Pages.Console.FormResponses;

/// <summary>A client's answers to a form, laid out by the version they answered: the same slice as GET /api/form-responses/{id}.</summary>
[Authorize(Policy = PortalPolicies.Staff)]
public sealed class DetailModel(IDocumentSession session, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ResponseId { get; set; }

    internal FormResponseDetail? Answers { get; private set; }

    /// <summary>Set when support opens it without a break-glass grant: the page says so, answered 403.</summary>
    internal Refusal? Hidden { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var outcome = await GetFormResponsesEndpoint.DetailAsync(ResponseId, new SliceContext(HttpContext, session, clock));
        Answers = outcome.Value;
        if (outcome.Refusal is { Status: StatusCodes.Status403Forbidden } hidden) return HealthHidden.Show(this, Hidden = hidden);
        return Answers is null ? NotFound() : Page();
    }
}
