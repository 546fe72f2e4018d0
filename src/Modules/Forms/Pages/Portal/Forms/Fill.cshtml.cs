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

    /// <summary>What is wrong with each answer, by field key, shown next to the field.</summary>
    internal IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    internal bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        Form = (await FillFormEndpoint.LoadAsync(FormId, User, session, cancellation)).Value;
        if (Form is null) return NotFound();
        Answers = Form.Draft;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var answered = new FormAnswers(Version, RawAnswers.FromForm(Request.Form));
        var context = new SliceContext(HttpContext, session, clock);
        var outcome = await SubmitFormEndpoint.SubmitAsync(FormId, answered, context, outbox);
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            Sent = true;
            return Page();
        }
        if (outcome.Refusal.IsNotFound) return NotFound();

        // Keep what they typed (as a draft too), and say what is wrong.
        await SaveFormDraftEndpoint.SaveAsync(FormId, answered, context);
        await session.SaveChangesAsync(cancellation);
        Form = (await FillFormEndpoint.LoadAsync(FormId, User, session, cancellation)).Value;
        if (Form is null) return NotFound();
        Answers = answered.Answers.Values.ToDictionary(a => a.Key, a => a.Value);
        Errors = [.. outcome.Refusal.Messages()];
        FieldErrors = (outcome.Refusal.Errors ?? new Dictionary<string, string[]>())
            .Where(e => e.Key.StartsWith("answers.", StringComparison.Ordinal))
            .ToDictionary(e => e.Key["answers.".Length..], e => e.Value);
        return Page();
    }
}
