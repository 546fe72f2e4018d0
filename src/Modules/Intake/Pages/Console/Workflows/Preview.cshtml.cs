using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Definitions;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// "Preview as a client": each stage as the client would see it, read only, for the client the provider describes
/// (billing, minor or adult, language), the answers they choose for the results that conditions test, and the dates
/// the version opens tasks from (a GET form, so the link can be shared). The same slice as
/// POST /api/workflows/{id}/preview.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed partial class PreviewWorkflowModel(IQuerySession session, IPracticeLooks looks) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [FromQuery]
    public int? Version { get; set; }

    internal WorkflowDefinition Definition { get; private set; } = null!;

    internal WorkflowPreview? Preview { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>Each field's refusal ("dates.firstSession"), shown beside it.</summary>
    internal IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>What was chosen for each client attribute and typed for each date, kept as sent.</summary>
    internal IReadOnlyDictionary<string, string> Chosen { get; private set; } = new Dictionary<string, string>();

    internal IReadOnlyDictionary<string, string> TypedDates { get; private set; } = new Dictionary<string, string>();

    /// <summary>The client attributes a provider can preview as, each with the words its values read as.</summary>
    internal static readonly IReadOnlyList<(string Name, string Label, IReadOnlyList<(string Value, string Label)> Choices)> ClientChoices =
    [
        (ClientAttributeNames.Billing, "The client pays",
            [(ClientAttributeNames.Insurance, "With insurance"), (ClientAttributeNames.SelfPay, "Self-pay")]),
        (ClientAttributeNames.Minor, "Age", [("true", "A minor"), ("false", "An adult")]),
        (ClientAttributeNames.Language, "Language", [("en", "English"), ("es", "Spanish")]),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        var definition = await Definitions.Definitions.LoadOwnAsync(session, Id, User, cancellation);
        if (definition is null) return NotFound();
        Definition = definition;

        // answers[phq9.score]=12, attributes[billing]=insurance, dates[firstSession]=2027-01-15T15:00: the inputs the
        // page offers; anything else is refused by the slice, naming it.
        var answers = Named(AnswerName());
        Chosen = Named(AttributeName());
        TypedDates = Named(DateName());
        var catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        var dates = await WorkflowPreviews.DatesAsync(session, looks, definition.PracticeId,
            TypedDates.ToDictionary(d => d.Key, d => (string?)d.Value), cancellation);
        var outcome = WorkflowPreviews.Build(definition, Version, answers, catalog, Chosen, dates);
        if (outcome.Refusal is { IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded)
        {
            Errors = [.. outcome.Refusal.Messages()];
            FieldErrors = outcome.Refusal.Errors ?? new Dictionary<string, string[]>();
            Response.StatusCode = outcome.Status;
            Preview = WorkflowPreviews.Build(definition, Version, null, catalog, null, dates with { Values = null }).Value;
            return Page();
        }

        Preview = outcome.Value;
        return Page();
    }

    internal string? FieldError(string field) => FieldErrors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    private Dictionary<string, string> Named(Regex pattern) => Request.Query
        .Select(q => (Match: pattern.Match(q.Key), Value: q.Value.ToString()))
        .Where(q => q.Match.Success)
        .ToDictionary(q => q.Match.Groups[1].Value, q => q.Value);

    [GeneratedRegex(@"^answers\[(.{1,100})\]$")]
    private static partial Regex AnswerName();

    [GeneratedRegex(@"^attributes\[(.{1,40})\]$")]
    private static partial Regex AttributeName();

    [GeneratedRegex(@"^dates\[(.{1,40})\]$")]
    private static partial Regex DateName();
}
