using Portal.Forms.Assessments;
using Portal.Forms.Safety;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Portal.Assessments;

/// <summary>Answer an instrument: the same slice as POST /api/portal/assessments/{instrument}.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class AnswerModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock,
    SafetyFlagSettings safety) : PageModel
{
    [FromRoute(Name = "instrument")]
    public string Code { get; set; } = string.Empty;

    internal Instrument? Instrument { get; private set; }

    internal int[] Answers { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal bool Completed { get; private set; }

    internal bool SafetyFlag { get; private set; }

    /// <summary>The wording shown (the reader's language where the instrument has it), posted back with the answers.</summary>
    [BindProperty]
    public string? Language { get; set; }

    internal string ShownLanguage => Instrument!.LanguageOf(
        global::Portal.BuildingBlocks.Localization.PortalLanguages.Of(System.Globalization.CultureInfo.CurrentUICulture));

    public IActionResult OnGet()
    {
        Instrument = Instruments.Find(Code);
        return Instrument is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        Instrument = Instruments.Find(Code);
        if (Instrument is null) return NotFound();
        Answers = Enumerable.Range(0, Instrument.Items.Count)
            .Select(i => int.TryParse(Request.Form[$"Answers[{i}]"], out var value) ? value : -1)
            .ToArray();
        var language = global::Portal.BuildingBlocks.Localization.PortalLanguages.IsSupported(Language) ? Language : ShownLanguage;
        var outcome = await CompleteAssessmentEndpoint.CompleteAsync(Code, Answers, new SliceContext(HttpContext, session, clock), outbox,
            safety, language);
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            Completed = true;
            SafetyFlag = outcome.Value.SafetyFlag;
            return Page();
        }
        if (outcome.Refusal.IsNotFound) return NotFound();
        Errors = Answers.Any(a => a < 0) ? ["Answer every question."] : [.. outcome.Refusal.Messages()];
        return Page();
    }
}
