using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.IntakeForms;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Portal.Forms;

/// <summary>Fill in an intake form: the same slices as the draft and submit endpoints.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class FillModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid FormId { get; set; }

    [BindProperty]
    public int Version { get; set; }

    internal FormToFill? Form { get; private set; }

    internal IReadOnlyDictionary<string, List<string>> Answers { get; private set; } = new Dictionary<string, List<string>>();

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Form = await FillFormEndpoint.LoadAsync(FormId, User, session, cancellation);
        if (Form is null) return NotFound();
        Answers = Form.Draft;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var answers = RawAnswers.FromForm(Request.Form);
        var outcome = await SubmitFormEndpoint.SubmitAsync(FormId, Version, answers, User, HttpContext, session, outbox, clock, cancellation);
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            Sent = true;
            return Page();
        }
        if (outcome.Status == StatusCodes.Status404NotFound) return NotFound();

        // Keep what they typed (as a draft too), and say what is wrong.
        await SaveFormDraftEndpoint.SaveAsync(FormId, Version, answers, User, HttpContext, session, clock, cancellation);
        await session.SaveChangesAsync(cancellation);
        Form = await FillFormEndpoint.LoadAsync(FormId, User, session, cancellation);
        if (Form is null) return NotFound();
        Answers = answers.Values.ToDictionary(a => a.Key, a => a.Value);
        Errors = outcome.Messages().ToList();
        return Page();
    }
}
