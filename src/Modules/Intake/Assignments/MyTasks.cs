using System.Security.Claims;
using Microsoft.Extensions.Localization;
using Portal.Contracts;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record MyTask(
    Guid AssignmentId, Guid TaskId, string Title, string Link, DateTimeOffset? DueAt, bool Overdue, string Workflow, string Stage);

internal sealed record MyWorkflowProgress(Guid AssignmentId, string Workflow, int DoneTasks, int TotalTasks, int CurrentStage, int Stages);

/// <summary>A task the client completed: it stays in their list under "Done" instead of vanishing.</summary>
internal sealed record MyDoneTask(Guid AssignmentId, string Title, string Workflow, DateTimeOffset DoneAt);

internal sealed record MyTasks(IReadOnlyList<MyTask> Open, IReadOnlyList<MyWorkflowProgress> Progress, IReadOnlyList<MyDoneTask> Done);

/// <summary>
/// The signed-in client's open tasks, oldest assignment first and in stage order, with each workflow's progress, and
/// the tasks they completed (newest first, those of finished workflows too).
/// </summary>
public static class MyTasksEndpoint
{
    /// <summary>The most recent completed tasks shown; older ones stay in the provider's record.</summary>
    private const int DoneShown = 50;

    [WolverineGet("/api/my/tasks"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ForClientAsync(session, CurrentUser.From(http.User)!.ClientId!.Value, ClientText.For(http), cancellation));

    internal static async Task<MyTasks> ForClientAsync(IQuerySession session, Guid clientId, IStringLocalizer<ClientText> text,
        CancellationToken cancellation)
    {
        var assignments = (await session.Query<IntakeAssignment>()
                .Where(a => a.ClientId == clientId)
                .ToListAsync(cancellation))
            .OrderBy(a => a.AssignedAt)
            .ToList();
        var running = assignments.Where(a => a.Status == AssignmentStatus.Running).ToList();
        var open = running.SelectMany(a => a.OpenTasks
                .OrderBy(t => a.Stages[t.Stage].AllTasks().ToList().FindIndex(s => s.Key == t.Key))
                .Select(t => new MyTask(a.Id, t.TaskId!.Value, ClientTaskTitles.InLanguage(text, t.Kind, t.SubjectId, t.Title), TaskLinks.For(t.Kind, t.SubjectId), t.DueAt, t.Overdue,
                    WorkflowTitle(a, text), a.Stages[t.Stage].Name)))
            .ToList();
        var progress = running
            .Select(a => new MyWorkflowProgress(a.Id, WorkflowTitle(a, text), a.DoneTasks, a.TotalTasks, a.CurrentStage, a.Stages.Count))
            .ToList();
        var done = assignments
            .SelectMany(a => a.Tasks
                .Where(t => t is { Status: AssignmentTaskStatus.Completed, DoneAt: not null })
                .Select(t => new MyDoneTask(a.Id, ClientTaskTitles.InLanguage(text, t.Kind, t.SubjectId, t.Title), WorkflowTitle(a, text), t.DoneAt!.Value)))
            .OrderByDescending(t => t.DoneAt)
            .Take(DoneShown)
            .ToList();
        return new MyTasks(open, progress, done);
    }

    /// <summary>A one-off request is named after its one task: the client reads that name in their language too.</summary>
    private static string WorkflowTitle(IntakeAssignment assignment, IStringLocalizer<ClientText> text) =>
        assignment.DefinitionId is null && assignment.Tasks.Count == 1
            ? ClientTaskTitles.InLanguage(text, assignment.Tasks[0].Kind, assignment.Tasks[0].SubjectId, assignment.WorkflowName)
            : assignment.WorkflowName;
}

/// <summary>
/// A task the provider did not title carries the English title the engine gave it when it was requested
/// (<see cref="Definitions.WorkflowSubjects.TitleFor"/>): the client reads that title in their language. A title the
/// provider typed is practice content and is shown as typed.
/// </summary>
internal static class ClientTaskTitles
{
    public static string InLanguage(IStringLocalizer<ClientText> text, TaskKind kind, string? subjectId, string title) => kind switch
    {
        TaskKind.AddInsurance when title == "Add your insurance" => text["Add your insurance"],
        TaskKind.EnrollInAutopay when title == "Enroll in autopay" => text["Enroll in autopay"],
        TaskKind.CompleteAssessment when title == "Complete an assessment" => text["Complete an assessment"],
        // Only the engine's own title: a provider's "Complete the PHQ-9 questionnaire" is theirs and stays as typed.
        TaskKind.CompleteAssessment when Catalog.Instruments.BuiltIn.TryGetValue(subjectId ?? string.Empty, out var name)
                                         && title == $"Complete the {name}" => text["Complete the {0}", text[name]],
        TaskKind.SignDocument when title.StartsWith("Sign: ", StringComparison.Ordinal) => text["Sign: {0}", title["Sign: ".Length..]],
        TaskKind.CompleteIntakeForm when title.StartsWith("Complete the form: ", StringComparison.Ordinal) =>
            text["Complete the form: {0}", title["Complete the form: ".Length..]],
        _ => title,
    };
}
