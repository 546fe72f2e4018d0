using Portal.Intake.Definitions;

namespace Portal.Intake.Engine;

/// <summary>
/// Moving a running assignment to another version of its definition (#30 item 5), as a decision of the process. Tasks
/// are mapped by key: what the assignment completed or skipped stays so and is never asked again; an open task whose
/// key the new version keeps stays open as the same task (same id, so no second email or reminder); an open task whose
/// key is gone is closed "removed by the new version" (no email). The assignment then stands at the furthest stage of
/// the new version holding a task it had reached: tasks the new version added up to there open now (or are skipped by
/// their conditions), later stages open in turn as before.
/// </summary>
internal sealed partial class AssignmentProcess
{
    /// <summary>Appends the one <see cref="AssignmentMigrated"/> event, then opens what the new version adds and moves on.</summary>
    public void Migrate(int toVersion, IReadOnlyList<StageSpec> stages, Actor by, ClientActivity? activity)
    {
        var stageOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < stages.Count; s++)
            foreach (var spec in stages[s].AllTasks())
                stageOf.TryAdd(spec.Key, s);

        var tasks = State.Tasks
            .Select(t => new MigratedTask(t.Key, t.TaskId, t.Stage, stageOf.TryGetValue(t.Key, out var to) ? to : null,
                !t.Pending ? MigratedTaskOutcome.StaysDone
                : stageOf.ContainsKey(t.Key) ? MigratedTaskOutcome.StaysOpen
                : MigratedTaskOutcome.Dropped))
            .ToList();
        var position = tasks.Where(t => t.ToStage is not null).Select(t => t.ToStage!.Value).DefaultIfEmpty(-1).Max();

        Emit(new AssignmentMigrated(State.Id, State.DefinitionVersion, toVersion, stages, tasks, position, by, Now));
        // The client's list and the caseload drop the removed task; nothing is emailed for it.
        foreach (var dropped in tasks.Where(t => t.Outcome == MigratedTaskOutcome.Dropped && t.TaskId is not null))
            Closed(dropped.TaskId!.Value, TaskOutcome.Cancelled);

        var reached = State.Tasks.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        for (var s = 0; s <= position; s++)
        {
            foreach (var spec in (stages[s].Tasks ?? []).Where(t => !reached.Contains(t.Key)))
                Open(spec, s, activity);
            // A track goes on from the first task it has not reached (the current stage's tracks move in Advance too).
            if (s < position) AdvanceTracks(s, activity);
        }

        Advance(activity);
    }
}
