using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Intake.Definitions;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// "Preview as a client": each stage as the client would see it, read only, with the answers the provider chooses for
/// the results that conditions test (a GET form, so the link can be shared). The same slice as
/// POST /api/workflows/{id}/preview.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed partial class PreviewWorkflowModel(IQuerySession session) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [FromQuery]
    public int? Version { get; set; }

    internal WorkflowDefinition Definition { get; private set; } = null!;

    internal WorkflowPreview? Preview { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        var definition = await Definitions.Definitions.LoadOwnAsync(session, Id, User, cancellation);
        if (definition is null) return NotFound();
        Definition = definition;

        // answers[phq9.score]=12: the inputs the page offers; anything else is refused by the slice, naming it.
        var answers = Request.Query
            .Select(q => (Match: AnswerName().Match(q.Key), Value: q.Value.ToString()))
            .Where(q => q.Match.Success)
            .ToDictionary(q => q.Match.Groups[1].Value, q => q.Value);
        var catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        var outcome = WorkflowPreviews.Build(definition, Version, answers, catalog);
        if (outcome.Refusal is { IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded)
        {
            Errors = [.. outcome.Refusal.Messages()];
            Response.StatusCode = outcome.Status;
            Preview = WorkflowPreviews.Build(definition, Version, null, catalog).Value;
            return Page();
        }

        Preview = outcome.Value;
        return Page();
    }

    [GeneratedRegex(@"^answers\[(.{1,100})\]$")]
    private static partial Regex AnswerName();
}
