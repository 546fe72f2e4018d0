using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Intake.Assigning;
using Wolverine.Marten;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// Assigns the published version of a workflow to the clients ticked in the builder's "Assign" section: the same slice
/// as POST /api/workflows/{id}/assignments. Back on the builder it says how many were assigned, or why nobody was.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class AssignWorkflowModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock) : PageModel
{
    /// <summary>Why nobody was assigned, for the builder to show.</summary>
    internal const string RefusedKey = "AssignRefused";

    /// <summary>The clients ticked when nobody was assigned, so the builder shows them ticked again.</summary>
    internal const string ChosenKey = "AssignChosen";

    [FromRoute]
    public Guid Id { get; set; }

    public IActionResult OnGet() => RedirectToPage("Edit", new { id = Id });

    public async Task<IActionResult> OnPostAsync(Guid[]? clientIds, bool assignAgain, CancellationToken cancellation)
    {
        if (clientIds is not { Length: > 0 }) return Refused("Choose at least one client.");
        TempData[ChosenKey] = string.Join(",", clientIds.Distinct());

        outbox.Enroll(session);
        var outcome = await AssignWorkflowEndpoint.AssignAsync(Id, clientIds, HttpContext, session, outbox, clock, cancellation, assignAgain);
        if (outcome.Refusal == Definitions.Definitions.NoSuchWorkflow(Id)) return NotFound();
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
