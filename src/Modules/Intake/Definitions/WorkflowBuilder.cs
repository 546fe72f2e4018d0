using Portal.Contracts;
using Portal.Intake.Catalog;

namespace Portal.Intake.Definitions;

/// <summary>
/// The builder page's edits, as pure functions over a definition's content. Every edit is saved through the same
/// rules as the JSON endpoint (<see cref="CheckAsync"/>, then <see cref="WorkflowDefinition.SaveDraft"/>).
/// </summary>
internal static class WorkflowBuilder
{
    public static WorkflowContent Rename(WorkflowContent content, string name) => content with { Name = name.Trim() };

    public static WorkflowContent AddStage(WorkflowContent content, string name, TaskSpec first) =>
        content with { Stages = [.. content.Stages, new StageSpec(name.Trim(), [first])] };

    public static WorkflowContent MoveStage(WorkflowContent content, int index, int delta)
    {
        var stages = content.Stages.ToList();
        var target = index + delta;
        if (index < 0 || index >= stages.Count || target < 0 || target >= stages.Count) return content;
        (stages[index], stages[target]) = (stages[target], stages[index]);
        return content with { Stages = stages };
    }

    /// <summary>Moves a stage to another place (dragged and dropped); the others keep their order.</summary>
    public static WorkflowContent MoveStageTo(WorkflowContent content, int index, int target)
    {
        if (index < 0 || index >= content.Stages.Count || target < 0 || target >= content.Stages.Count) return content;
        var stages = content.Stages.ToList();
        var moved = stages[index];
        stages.RemoveAt(index);
        stages.Insert(target, moved);
        return content with { Stages = stages };
    }

    public static WorkflowContent RemoveStage(WorkflowContent content, int index) =>
        index < 0 || index >= content.Stages.Count ? content : content with { Stages = [.. content.Stages.Where((_, i) => i != index)] };

    public static WorkflowContent AddTask(WorkflowContent content, int stage, TaskSpec task) =>
        ChangeStage(content, stage, s => s with { Tasks = [.. s.Tasks, task] });

    public static WorkflowContent MoveTask(WorkflowContent content, int stage, int index, int delta) =>
        ChangeStage(content, stage, s =>
        {
            var tasks = s.Tasks.ToList();
            var target = index + delta;
            if (index < 0 || index >= tasks.Count || target < 0 || target >= tasks.Count) return s;
            (tasks[index], tasks[target]) = (tasks[target], tasks[index]);
            return s with { Tasks = tasks };
        });

    /// <summary>Moves a task to another place in its stage (dragged and dropped).</summary>
    public static WorkflowContent MoveTaskTo(WorkflowContent content, int stage, int index, int target) =>
        ChangeStage(content, stage, s =>
        {
            if (index < 0 || index >= s.Tasks.Count || target < 0 || target >= s.Tasks.Count) return s;
            var tasks = s.Tasks.ToList();
            var moved = tasks[index];
            tasks.RemoveAt(index);
            tasks.Insert(target, moved);
            return s with { Tasks = tasks };
        });

    public static WorkflowContent RemoveTask(WorkflowContent content, int stage, int index) =>
        ChangeStage(content, stage, s => s with { Tasks = [.. s.Tasks.Where((_, i) => i != index)] });

    // Tracks (#30 item 2): a stage's tracks run side by side, each track's tasks one after another.

    /// <summary>A new track at the end of the stage, with its first task (a track is never empty).</summary>
    public static WorkflowContent AddTrack(WorkflowContent content, int stage, string name, TaskSpec first) =>
        ChangeStage(content, stage, s => s with { Tracks = [.. s.Tracks ?? [], new TrackSpec(name.Trim(), [first])] });

    /// <summary>The task goes last in its track: it opens when the one before it is done.</summary>
    public static WorkflowContent AddTrackTask(WorkflowContent content, int stage, int track, TaskSpec task) =>
        ChangeTrack(content, stage, track, t => t with { Tasks = [.. t.Tasks ?? [], task] });

    /// <summary>Swaps a track's task with its neighbour (delta -1 up, +1 down); outside the track nothing changes.</summary>
    public static WorkflowContent MoveTrackTask(WorkflowContent content, int stage, int track, int index, int delta) =>
        ChangeTrack(content, stage, track, t =>
        {
            var tasks = (t.Tasks ?? []).ToList();
            var target = index + delta;
            if (index < 0 || index >= tasks.Count || target < 0 || target >= tasks.Count) return t;
            (tasks[index], tasks[target]) = (tasks[target], tasks[index]);
            return t with { Tasks = tasks };
        });

    /// <summary>
    /// Removes a task from its track. Removing a track's last task removes the track, since an empty track would only
    /// be refused.
    /// </summary>
    public static WorkflowContent RemoveTrackTask(WorkflowContent content, int stage, int track, int index)
    {
        if (Track(content, stage, track) is not { } found || index < 0 || index >= (found.Tasks ?? []).Count) return content;
        return found.Tasks!.Count == 1
            ? RemoveTrack(content, stage, track)
            : ChangeTrack(content, stage, track, t => t with { Tasks = [.. t.Tasks!.Where((_, i) => i != index)] });
    }

    /// <summary>Removes a whole track with its tasks; a stage without tracks left has none (null), as in format 1.</summary>
    public static WorkflowContent RemoveTrack(WorkflowContent content, int stage, int track) =>
        ChangeStage(content, stage, s =>
        {
            if (track < 0 || track >= (s.Tracks ?? []).Count) return s;
            var left = s.Tracks!.Where((_, i) => i != track).ToList();
            return s with { Tracks = left.Count == 0 ? null : left, Join = left.Count == 0 ? AllOrAny.All : s.Join };
        });

    /// <summary>Whether the next stage waits for all of the stage's tracks or for any one of them.</summary>
    public static WorkflowContent SetJoin(WorkflowContent content, int stage, AllOrAny join) =>
        ChangeStage(content, stage, s => s with { Join = join });

    /// <summary>What starts the workflow by itself; none (null) leaves it to be assigned by hand.</summary>
    public static WorkflowContent SetTriggers(WorkflowContent content, IEnumerable<Triggers.WorkflowTrigger> triggers)
    {
        var chosen = triggers.Distinct().Order().ToList();
        return content with { Triggers = chosen.Count == 0 ? null : chosen };
    }

    private static TrackSpec? Track(WorkflowContent content, int stage, int track) =>
        stage >= 0 && stage < content.Stages.Count && content.Stages[stage].Tracks is { } tracks && track >= 0 && track < tracks.Count
            ? tracks[track]
            : null;

    private static WorkflowContent ChangeTrack(WorkflowContent content, int stage, int track, Func<TrackSpec, TrackSpec> change) =>
        Track(content, stage, track) is null
            ? content
            : ChangeStage(content, stage, s => s with { Tracks = [.. s.Tracks!.Select((t, i) => i == track ? change(t) : t)] });

    /// <summary>A key not yet used in the workflow, from the task's kind: "insurance", "phq9", "document-2".</summary>
    public static string NewKey(WorkflowContent content, TaskKind kind, string? subject)
    {
        var stem = kind switch
        {
            TaskKind.AddInsurance => "insurance",
            TaskKind.EnrollInAutopay => "autopay",
            TaskKind.CompleteAssessment when subject is { Length: > 0 } && WorkflowContentValidator.InstrumentPattern().IsMatch(subject) => subject,
            TaskKind.SignDocument => "document",
            TaskKind.CompleteIntakeForm => "form",
            _ => "task",
        };
        var used = content.AllTasks().Select(t => t.Key).ToHashSet();
        if (!used.Contains(stem)) return stem;
        for (var n = 2; ; n++)
            if (!used.Contains($"{stem}-{n}")) return $"{stem}-{n}";
    }

    /// <summary>Every error the JSON endpoint would give, as messages for the page.</summary>
    public static async Task<IReadOnlyList<string>> CheckAsync(
        IQuerySession session, WorkflowContent content, Guid practiceId, CancellationToken cancellation) =>
        [.. (await CheckFieldsAsync(session, content, practiceId, cancellation)).Select(e => e.Message).Distinct()];

    /// <summary>The same errors with the path of what each is about ("Stages[1].Tasks[0].DueInDays"), to show it there.</summary>
    public static async Task<IReadOnlyList<(string Path, string Message)>> CheckFieldsAsync(
        IQuerySession session, WorkflowContent content, Guid practiceId, CancellationToken cancellation)
    {
        var shape = new WorkflowContentValidator().Validate(content);
        if (!shape.IsValid) return [.. shape.Errors.Select(e => (e.PropertyName, e.ErrorMessage))];
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, content, practiceId, cancellation);
        return [.. unknown.SelectMany(e => e.Value.Select(m => (e.Key, m)))];
    }

    /// <summary>What a provider may pick as a task's subject: the practice's published documents and forms, and the instruments.</summary>
    public static async Task<IReadOnlyList<CatalogItem>> CatalogAsync(IQuerySession session, Guid practiceId, CancellationToken cancellation) =>
        await session.Query<CatalogItem>().Where(i => i.PracticeId == practiceId && !i.Withdrawn).OrderBy(i => i.Title).ToListAsync(cancellation);

    private static WorkflowContent ChangeStage(WorkflowContent content, int stage, Func<StageSpec, StageSpec> change) =>
        stage < 0 || stage >= content.Stages.Count
            ? content
            : content with { Stages = [.. content.Stages.Select((s, i) => i == stage ? change(s) : s)] };
}
