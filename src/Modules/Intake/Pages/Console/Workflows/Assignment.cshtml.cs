using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Messaging;
using Portal.Intake.Incidents;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Assignments;
using Portal.Intake.Dates;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Wolverine.Marten;
using Wolverine.Runtime;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// One client's assignment: its dates (set or change each: the engine re-plans), its tasks under their stage and track
/// with each state in words, and the timeline of events; skip or resend a task, or cancel, with a reason.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class AssignmentModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock,
    IDeadLetterSearch deadLetters, IWolverineRuntime runtime, IPracticeLooks looks) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    internal IntakeAssignment Assignment { get; private set; } = null!;

    internal IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    internal string? Error { get; private set; }

    /// <summary>Steps of this assignment that failed for good (dead letters), with their cause.</summary>
    internal IReadOnlyList<IncidentView> Incidents { get; private set; } = [];

    /// <summary>The practice's named dates, for their labels.</summary>
    internal IReadOnlyList<NamedDate> PracticeDates { get; private set; } = [];

    /// <summary>The dates this assignment carries or may carry: the first session, the practice's, any its tasks name.</summary>
    internal IReadOnlyList<string> DateNames { get; private set; } = [];

    /// <summary>The date form that was sent and refused: its name, what was typed, and why.</summary>
    internal (string Name, string? Typed, string Error)? DateRefused { get; private set; }

    internal string DateLabel(string name)
    {
        var words = DateWords.DateName(name, PracticeDates)["the ".Length..];
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>A task's state in words: "Waiting for the first-session date.", "Opens Dec 7, 2026", "Done Dec 3, 2026".</summary>
    internal string StateWords(AssignmentTask task) => task.Status switch
    {
        AssignmentTaskStatus.Waiting => TaskDates.WaitingSentence(task.WaitingFor ?? TaskDates.FirstSession),
        AssignmentTaskStatus.Scheduled => task.OpensAt is { } opens ? $"Opens {HttpContext.Date(opens)}" : "Opens later",
        AssignmentTaskStatus.Open when task.Overdue => $"Overdue: it was due {HttpContext.Date(task.DueAt)}",
        AssignmentTaskStatus.Open => task.DueAt is { } due ? $"Open, due {HttpContext.Date(due)}" : "Open",
        AssignmentTaskStatus.Completed => task.DoneAt is { } done ? $"Done {HttpContext.Date(done)}" : "Done",
        AssignmentTaskStatus.Skipped => "Skipped",
        AssignmentTaskStatus.NotNeeded => "Not needed",
        _ => task.Status.ToString(),
    };

    /// <summary>"Occurrence 2 — every 2 weeks until discharge" for a repeating task, else null.</summary>
    internal string? RepeatWords(AssignmentTask task) =>
        Spec(task)?.Repeat is { } repeat ? $"Occurrence {task.Occurrence} \u2014 {DateWords.Repeat(repeat)}" : null;

    /// <summary>"Opens 7 days before the first session; due 2 days before the first session", or null.</summary>
    internal string? ScheduleWords(AssignmentTask task) => Spec(task) is { } spec ? DateWords.Schedule(spec, PracticeDates) : null;

    private TaskSpec? Spec(AssignmentTask task) =>
        task.Stage >= 0 && task.Stage < Assignment.Stages.Count
            ? Assignment.Stages[task.Stage].AllTasks().FirstOrDefault(t => t.Key == task.Key)
            : null;

    /// <summary>
    /// Sets or changes one of the assignment's dates: the same slice as PUT /api/assignments/{id}/dates/{name}, audited
    /// there. Tasks waiting for it open or are scheduled; scheduled ones move.
    /// </summary>
    public async Task<IActionResult> OnPostDateAsync(string? name, string? value, CancellationToken cancellation)
    {
        var check = new SetAssignmentDateValidator().Validate(new SetAssignmentDateRequest(value));
        Refusal? refusal = check.IsValid ? null : Refusal.Invalid("value", string.Join(" ", check.Errors.Select(e => e.ErrorMessage)));
        if (refusal is null)
        {
            outbox.Enroll(session);
            var outcome = await SetAssignmentDateEndpoint.SetAsync(new AssignmentCommand(HttpContext, session, outbox, clock), looks, Id,
                name ?? string.Empty, value, cancellation);
            if (outcome.Refusal is { IsNotFound: true }) return NotFound();
            if (outcome.Succeeded) return RedirectToPage(new { id = Id });
            refusal = outcome.Refusal;
        }

        if (!await LoadAsync(cancellation)) return NotFound();
        if (refusal.Errors is { Count: > 0 }) DateRefused = (name ?? string.Empty, value, string.Join(" ", refusal.Messages()));
        else Error = $"{refusal.Title} {refusal.Detail}";
        Response.StatusCode = refusal.Status;
        return Page();
    }

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
        var card = await session.LoadAsync<Roster.IntakeClient>(assignment.ClientId, cancellation);
        PracticeDates = await PracticeWorkflowDates.ForPracticeAsync(session, card?.PracticeId ?? Guid.Empty, cancellation);
        DateNames =
        [
            .. new[] { TaskDates.FirstSession }.Concat(PracticeDates.Select(d => d.Name))
                .Concat(TaskDates.NamesUsed(assignment.Stages)).Concat(assignment.Dates.Keys).Distinct(StringComparer.Ordinal),
        ];
        return true;
    }
}
