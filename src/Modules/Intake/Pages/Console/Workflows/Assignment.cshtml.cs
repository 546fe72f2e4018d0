using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Messaging;
using Portal.Intake.Incidents;
using Portal.Intake.Assignments;
using Portal.Intake.Engine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>One client's assignment: tasks and the timeline of events; skip or resend a task, or cancel, with a reason.</summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class AssignmentModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock,
    IDeadLetterSearch deadLetters, IWolverineRuntime runtime) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    internal IntakeAssignment Assignment { get; private set; } = null!;

    internal IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    internal string? Error { get; private set; }

    /// <summary>Steps of this assignment that failed for good (dead letters), with their cause.</summary>
    internal IReadOnlyList<IncidentView> Incidents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (!await LoadAsync(cancellation)) return NotFound();
        Audit.Record(session, HttpContext, clock, "intake.assignment.read", nameof(IntakeAssignment), Id.ToString(), Assignment.ClientId);
        await session.SaveChangesAsync(cancellation);
        return Page();
    }

    public Task<IActionResult> OnPostSkipAsync(Guid taskId, string? reason, CancellationToken cancellation) =>
        RunAsync(reason, (command, r) => SkipTaskEndpoint.SkipAsync(command, Id, taskId, r, cancellation), cancellation);

    public Task<IActionResult> OnPostResendAsync(Guid taskId, string? reason, CancellationToken cancellation) =>
        RunAsync(reason, (command, r) => ResendTaskEndpoint.ResendAsync(command, Id, taskId, r, cancellation), cancellation);

    public Task<IActionResult> OnPostCancelAsync(string? reason, CancellationToken cancellation) =>
        RunAsync(reason, (command, r) => CancelAssignmentEndpoint.CancelAsync(command, Id, r, cancellation), cancellation);

    /// <summary>Retries a failed step (see AssignmentIncidents): the dead letter goes back to its handler's queue.</summary>
    public async Task<IActionResult> OnPostRetryAsync(Guid incidentId, CancellationToken cancellation)
    {
        if (!await LoadAsync(cancellation)) return NotFound();
        var retried = await AssignmentIncidents.RetryAsync(Assignment, incidentId, deadLetters, runtime, HttpContext,
            session, clock, cancellation);
        if (retried.Refusal is { IsNotFound: true }) return NotFound();
        await session.SaveChangesAsync(cancellation);
        return RedirectToPage(new { id = Id });
    }

    private async Task<IActionResult> RunAsync(string? reason, Func<AssignmentCommand, string, Task<Outcome<AssignmentView>>> action,
        CancellationToken cancellation)
    {
        var check = new ReasonValidator().Validate(new ReasonRequest(reason ?? string.Empty));
        if (!check.IsValid)
        {
            Error = string.Join(" ", check.Errors.Select(e => e.ErrorMessage));
            return await LoadAsync(cancellation) ? Page() : NotFound();
        }

        outbox.Enroll(session);
        var outcome = await action(new AssignmentCommand(HttpContext, session, outbox, clock), reason!);
        if (outcome.Refusal is { IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded)
        {
            Error = $"{outcome.Refusal.Title} {outcome.Refusal.Detail}";
            return await LoadAsync(cancellation) ? Page() : NotFound();
        }

        return RedirectToPage(new { id = Id });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellation)
    {
        var assignment = await AssignmentAccess.VisibleAssignmentAsync(session, Id, User, cancellation);
        if (assignment is null) return false;
        Assignment = assignment;
        Timeline = await GetAssignments.TimelineAsync(session, assignment, HttpContext.ReaderZone(), cancellation);
        Incidents = await AssignmentIncidents.ForAsync(assignment, deadLetters, runtime, cancellation);
        return true;
    }
}
