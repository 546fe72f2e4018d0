using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Assigning;
using Portal.Intake.Dates;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Wolverine.Marten;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// Assigns the published version of a workflow to the clients ticked in the builder's "Assign" section, with the dates
/// typed there: the same slice as POST /api/workflows/{id}/assignments. Back on the builder it says how many were
/// assigned, or why nobody was; a date that cannot be read is refused here (400), beside its field, with the ticked
/// clients and the typed dates kept.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class AssignWorkflowModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, IPracticeLooks looks)
    : PageModel
{
    /// <summary>Why nobody was assigned, for the builder to show.</summary>
    internal const string RefusedKey = "AssignRefused";

    /// <summary>The clients ticked when nobody was assigned, so the builder shows them ticked again.</summary>
    internal const string ChosenKey = "AssignChosen";

    [FromRoute]
    public Guid Id { get; set; }

    internal WorkflowDefinition Definition { get; private set; } = null!;

    /// <summary>The form shown again after a refused date.</summary>
    internal AssignForm Form { get; private set; } = null!;

    public IActionResult OnGet() => RedirectToPage("Edit", new { id = Id });

    /// <param name="dates">
    /// The form's dates by name (<c>dates[firstSession]</c>), practice-local; an empty one is not given. Named, so that a
    /// form without dates does not bind its other fields as dates.
    /// </param>
    public async Task<IActionResult> OnPostAsync(Guid[]? clientIds, bool assignAgain,
        [FromForm(Name = "dates")] Dictionary<string, string?>? dates, CancellationToken cancellation)
    {
        if (clientIds is not { Length: > 0 }) return Refused("Choose at least one client.");
        TempData[ChosenKey] = string.Join(",", clientIds.Distinct());
        var given = (dates ?? []).Where(d => !string.IsNullOrWhiteSpace(d.Value)).ToDictionary(d => d.Key, d => d.Value);

        outbox.Enroll(session);
        var outcome = await AssignWorkflowEndpoint.AssignAsync(Id, clientIds, HttpContext, session, outbox, clock, cancellation,
            assignAgain, given.Count == 0 ? null : new AssignWorkflowEndpoint.DatesToSet(given, looks));
        if (outcome.Refusal == Definitions.Definitions.NoSuchWorkflow(Id)) return NotFound();
        if (outcome.Refusal is { Errors: { Count: > 0 } errors } refusal && errors.Keys.Any(k => k.StartsWith("dates.", StringComparison.Ordinal)))
        {
            // A date is at fault: the form comes back here as it was sent, each error beside its date.
            TempData.Remove(ChosenKey);
            var definition = await Definitions.Definitions.LoadOwnAsync(session, Id, User, cancellation);
            if (definition is null) return NotFound();
            Definition = definition;
            var clients = await AssignForm.ClientsAsync(session, User, cancellation);
            // Published: the slice refuses an unpublished workflow before it reads the dates.
            Form = (await AssignForm.ForAsync(session, looks, definition, clients, clientIds.ToHashSet(), cancellation,
                dates ?? [], errors, assignAgain))!;
            Response.StatusCode = refusal.Status;
            return Page();
        }
        if (!outcome.Succeeded) return Refused($"{outcome.Refusal.Title} {outcome.Refusal.Detail}");

        await session.SaveChangesAsync(cancellation);
        TempData.Remove(ChosenKey);
        TempData["Saved"] = $"Assigned version {outcome.Value.Version} to {outcome.Value.Assignments.Count} client(s).";
        return RedirectToPage("Edit", new { id = Id });
    }

    private RedirectToPageResult Refused(string why)
    {
        TempData[RefusedKey] = why;
        return RedirectToPage("Edit", new { id = Id });
    }
}

/// <summary>One date input of the assign form: the date's name and label, what was typed, and why it was refused.</summary>
internal sealed record AssignDateField(string Name, string Label, string? Typed, string? Error);

/// <summary>
/// The assign form (_AssignForm.cshtml), on the builder and, after a refused date, on the Assign page: the clients to
/// tick, the dates the published version uses (the first session always), and "assign again".
/// </summary>
internal sealed class AssignForm
{
    public required Guid DefinitionId { get; init; }

    public required int Version { get; init; }

    public required IReadOnlyList<IntakeClient> Clients { get; init; }

    public required IReadOnlySet<Guid> Chosen { get; init; }

    public required IReadOnlyList<AssignDateField> Dates { get; init; }

    /// <summary>The practice's zone, in which the dates are typed ("America/New_York").</summary>
    public required string Zone { get; init; }

    public bool AssignAgain { get; init; }

    public static async Task<IReadOnlyList<IntakeClient>> ClientsAsync(IQuerySession session, System.Security.Claims.ClaimsPrincipal user,
        CancellationToken cancellation) =>
        (await session.Query<IntakeClient>().VisibleTo(CurrentUser.From(user)!).ToListAsync(cancellation))
        .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ToList();

    /// <summary>The form for the published version, or null when nothing is published yet.</summary>
    public static async Task<AssignForm?> ForAsync(IQuerySession session, IPracticeLooks looks, WorkflowDefinition definition,
        IReadOnlyList<IntakeClient> clients, IReadOnlySet<Guid> chosen, CancellationToken cancellation,
        IReadOnlyDictionary<string, string?>? typed = null, IReadOnlyDictionary<string, string[]>? errors = null, bool assignAgain = false)
    {
        if (definition.Published is not { } published) return null;
        var practiceDates = await PracticeWorkflowDates.ForPracticeAsync(session, definition.PracticeId, cancellation);
        var used = TaskDates.NamesUsed(published.Content.Stages).ToHashSet(StringComparer.Ordinal);
        var names = new[] { TaskDates.FirstSession }.Concat(practiceDates.Select(d => d.Name).Where(used.Contains))
            .Concat(used).Distinct(StringComparer.Ordinal);
        var zone = await AssignmentDates.ZoneAsync(looks, definition.PracticeId, cancellation);
        return new AssignForm
        {
            DefinitionId = definition.Id, Version = published.Version, Clients = clients, Chosen = chosen, Zone = zone.Id,
            AssignAgain = assignAgain,
            Dates =
            [
                .. names.Select(name => new AssignDateField(name, Label(name, practiceDates), typed?.GetValueOrDefault(name),
                    errors?.GetValueOrDefault($"dates.{name}") is { } messages ? string.Join(" ", messages) : null)),
            ],
        };
    }

    private static string Label(string name, IReadOnlyList<NamedDate> dates)
    {
        var words = DateWords.DateName(name, dates)["the ".Length..];
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
