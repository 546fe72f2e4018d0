using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Intake.Dates;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// The practice's named dates (#30 item 1): workflows open and fall due from them, assignments carry them. Whoever
/// assigns reads them; the owner adds, renames and removes them, through the same slice as PUT /api/workflows/dates.
/// A renamed date keeps its name in workflows, so running assignments and definitions go on reading it.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class WorkflowDatesModel(IDocumentSession session, TimeProvider clock, IAuthorizationService authorization) : PageModel
{
    internal IReadOnlyList<NamedDate> Dates { get; private set; } = [];

    internal bool CanEdit { get; private set; }

    /// <summary>Whether the reader may open the workflows (front desk reads the dates from an assignment's page only).</summary>
    internal bool CanOpenWorkflows { get; private set; }

    internal string? Saved { get; private set; }

    /// <summary>The form that was refused ("add", or a date's name), what was typed in it, and why.</summary>
    internal (string Form, string? Typed, string Error)? Refused { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        await LoadAsync(cancellation);
        Saved = TempData["Saved"] as string;
        return Page();
    }

    public Task<IActionResult> OnPostAddAsync(string? label, CancellationToken cancellation) =>
        SaveAsync("add", label, own => [.. own, new NamedDate(WorkflowDatesEndpoints.NameFor(label) ?? string.Empty, label ?? string.Empty)],
            $"Added \u201c{label?.Trim()}\u201d.", cancellation);

    public Task<IActionResult> OnPostRenameAsync(string? name, string? label, CancellationToken cancellation) =>
        SaveAsync(name ?? string.Empty, label,
            own => [.. own.Select(d => d.Name == name ? d with { Label = label ?? string.Empty } : d)],
            $"Renamed to \u201c{label?.Trim()}\u201d.", cancellation);

    public Task<IActionResult> OnPostRemoveAsync(string? name, CancellationToken cancellation) =>
        SaveAsync(name ?? string.Empty, null, own => [.. own.Where(d => d.Name != name)], "Removed the date.", cancellation);

    private async Task<IActionResult> SaveAsync(string form, string? typed, Func<IReadOnlyList<NamedDate>, List<NamedDate>> change,
        string saved, CancellationToken cancellation)
    {
        await LoadAsync(cancellation);
        if (!CanEdit) return Forbid();
        var own = Dates.Where(d => d.Name != PracticeWorkflowDates.FirstSession.Name).ToList();
        var outcome = await WorkflowDatesEndpoints.SaveAsync(new WorkflowDatesRequest(change(own)), HttpContext, session, clock, cancellation);
        if (!outcome.Succeeded)
        {
            Refused = (form, typed, string.Join(" ", outcome.Refusal.Messages().Distinct()));
            Response.StatusCode = outcome.Status;
            return Page();
        }

        TempData["Saved"] = saved;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellation)
    {
        var practiceId = CurrentUser.From(User)!.PracticeId ?? Guid.Empty;
        Dates = await PracticeWorkflowDates.ForPracticeAsync(session, practiceId, cancellation);
        CanEdit = (await authorization.AuthorizeAsync(User, PortalPolicies.Owner)).Succeeded;
        CanOpenWorkflows = (await authorization.AuthorizeAsync(User, PortalPolicies.Provider)).Succeeded;
    }
}
