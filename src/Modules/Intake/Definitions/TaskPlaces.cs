namespace Portal.Intake.Definitions;

/// <summary>
/// Where a task sits in a version: its stage, its track (null for a stage's plain tasks) and its position there, with
/// the path a 400 names ("Stages[1].Tracks[0].Tasks[2]").
/// </summary>
internal sealed record TaskPlace(TaskSpec Task, int Stage, int? Track, int Index)
{
    public string Path => Track is { } track
        ? $"Stages[{Stage}].Tracks[{track}].Tasks[{Index}]"
        : $"Stages[{Stage}].Tasks[{Index}]";
}

internal static class TaskPlaces
{
    /// <summary>Every task with its place, stage by stage: the plain tasks, then each track in order. Skips nulls.</summary>
    public static IEnumerable<TaskPlace> Places(this WorkflowContent content) => Places(content.Stages ?? []);

    public static IEnumerable<TaskPlace> Places(IReadOnlyList<StageSpec> stages)
    {
        for (var s = 0; s < stages.Count; s++)
        {
            if (stages[s] is not { } stage) continue;
            var tasks = stage.Tasks ?? [];
            for (var t = 0; t < tasks.Count; t++)
                if (tasks[t] is { } task) yield return new TaskPlace(task, s, null, t);
            var tracks = stage.Tracks ?? [];
            for (var k = 0; k < tracks.Count; k++)
            {
                var trackTasks = tracks[k]?.Tasks ?? [];
                for (var t = 0; t < trackTasks.Count; t++)
                    if (trackTasks[t] is { } task) yield return new TaskPlace(task, s, k, t);
            }
        }
    }

    /// <summary>The same content with every task (plain and in tracks) replaced by <paramref name="map"/>'s answer.</summary>
    public static async Task<List<StageSpec>> MapTasksAsync(IReadOnlyList<StageSpec> stages, Func<TaskSpec, Task<TaskSpec>> map)
    {
        var mapped = new List<StageSpec>(stages.Count);
        foreach (var stage in stages)
        {
            var tasks = new List<TaskSpec>();
            foreach (var task in stage.Tasks ?? []) tasks.Add(await map(task));
            List<TrackSpec>? tracks = null;
            if (stage.Tracks is not null)
            {
                tracks = [];
                foreach (var track in stage.Tracks)
                {
                    var trackTasks = new List<TaskSpec>();
                    foreach (var task in track.Tasks ?? []) trackTasks.Add(await map(task));
                    tracks.Add(track with { Tasks = trackTasks });
                }
            }

            mapped.Add(stage with { Tasks = tasks, Tracks = tracks });
        }

        return mapped;
    }
}
