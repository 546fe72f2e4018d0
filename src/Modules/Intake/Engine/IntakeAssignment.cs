using Portal.Contracts;
using Portal.Intake.Definitions;

namespace Portal.Intake.Engine;

public enum AssignmentStatus
{
    Running,
    Completed,
    Cancelled,
}

public enum AssignmentTaskStatus
{
    Open,
    Completed,
    Skipped,

    /// <summary>Reached, but waits for a date the assignment does not have yet (<see cref="AssignmentTask.WaitingFor"/>).</summary>
    Waiting,

    /// <summary>Opens later, at <see cref="AssignmentTask.OpensAt"/> (a date's day, or a repeat's next occurrence).</summary>
    Scheduled,
    /// <summary>Closed without the client (<see cref="AssignmentTaskNotNeeded"/>): <see cref="AssignmentTask.SkipReason"/> says why.</summary>
    NotNeeded,
}

/// <summary>One task the assignment has reached: requested (open or done) or skipped.</summary>
public sealed class AssignmentTask
{
    public Guid? TaskId { get; set; }
    public string Key { get; set; } = string.Empty;
    public int Stage { get; set; }
    public TaskKind Kind { get; set; }
    public string? SubjectId { get; set; }
    public string Title { get; set; } = string.Empty;
    public AssignmentTaskStatus Status { get; set; }
    public DateTimeOffset? RequestedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public bool Overdue { get; set; }
    public int RemindersSent { get; set; }
    public DateTimeOffset? LastReminderAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public bool DoneBeforeRequest { get; set; }
    public string? SkipReason { get; set; }
    public int? Score { get; set; }
    public string? Severity { get; set; }
    public Dictionary<string, string>? Answers { get; set; }

    /// <summary>1, or the number of this occurrence of a repeating task (each has its own task id).</summary>
    public int Occurrence { get; set; } = 1;

    public string? WaitingFor { get; set; }

    public DateTimeOffset? OpensAt { get; set; }

    /// <summary>Not done yet: open, waiting for a date, or scheduled to open. The stage waits for it.</summary>
    public bool Pending => Status is AssignmentTaskStatus.Open or AssignmentTaskStatus.Waiting or AssignmentTaskStatus.Scheduled;

    /// <summary>Its key is not in the version the assignment runs on now (moved to a version without it): history only.</summary>
    public bool Removed { get; set; }
}

/// <summary>
/// The state of one assignment, projected from its event stream (inline snapshot in the intake schema). Handlers
/// decide from it; queries read it.
/// </summary>
public sealed class IntakeAssignment
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public Guid? DefinitionId { get; set; }
    public int? DefinitionVersion { get; set; }
    public string WorkflowName { get; set; } = string.Empty;
    public List<StageSpec> Stages { get; set; } = [];
    public int CurrentStage { get; set; } = -1;
    public AssignmentStatus Status { get; set; }
    public List<AssignmentTask> Tasks { get; set; } = [];
    public DateTimeOffset AssignedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? CancelReason { get; set; }

    /// <summary>The assessment schedule this assignment runs for (<see cref="AssignmentStarted.ScheduleId"/>).</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>The assignment's named dates ("firstSession", the practice's own), by name.</summary>
    public Dictionary<string, AssignmentDate> Dates { get; set; } = [];

    /// <summary>When each stage started (by index): tasks open relative to it.</summary>
    public Dictionary<int, DateTimeOffset> StageStartedAt { get; set; } = [];

    /// <summary>The last move to another version of the definition, for "moved from version 2 to 3 by …".</summary>
    public AssignmentMigrated? LastMigration { get; set; }

    public bool IsTerminal => Status != AssignmentStatus.Running;

    /// <summary>Every task reached (each occurrence of a repeat, not those a move removed) and those not reached yet.</summary>
    public int TotalTasks =>
        Tasks.Count(t => !t.Removed) + Stages.SelectMany(s => s.AllTasks()).Count(spec => Tasks.All(t => t.Key != spec.Key));

    public int DoneTasks => Tasks.Count(t => !t.Pending && !t.Removed);

    public IEnumerable<AssignmentTask> OpenTasks => Tasks.Where(t => t.Status == AssignmentTaskStatus.Open);

    public AssignmentTask? Task(Guid taskId) => Tasks.FirstOrDefault(t => t.TaskId == taskId);

    public void Apply(AssignmentStarted e)
    {
        Id = e.AssignmentId;
        ClientId = e.ClientId;
        ProviderId = e.ProviderId;
        DefinitionId = e.DefinitionId;
        DefinitionVersion = e.DefinitionVersion;
        WorkflowName = e.WorkflowName;
        Stages = [.. e.Stages];
        AssignedAt = e.At;
        Status = AssignmentStatus.Running;
        ScheduleId = e.ScheduleId;
    }

    public void Apply(AssignmentStageStarted e)
    {
        CurrentStage = e.Stage;
        StageStartedAt[e.Stage] = e.At;
    }

    public void Apply(AssignmentTaskRequested e)
    {
        // A task that waited or was scheduled opens in its place, keeping its occurrence number.
        var task = Placeholder(e.Key, e.Stage, e.Occurrence);
        if (task is null)
        {
            task = new AssignmentTask { Occurrence = e.Occurrence ?? 1 };
            Tasks.Add(task);
        }

        task.TaskId = e.TaskId;
        task.Key = e.Key;
        task.Stage = e.Stage;
        task.Kind = e.Kind;
        task.SubjectId = e.SubjectId;
        task.Title = e.Title;
        task.Status = AssignmentTaskStatus.Open;
        task.RequestedAt = e.At;
        task.DueAt = e.DueAt;
        task.WaitingFor = null;
        task.OpensAt = null;
    }

    /// <summary>The task of that key and stage that waits or is scheduled (of that occurrence, when given).</summary>
    public AssignmentTask? Placeholder(string key, int stage, int? occurrence) => Tasks.FirstOrDefault(t =>
        t.TaskId is null && t.Key == key && t.Stage == stage && (occurrence is null || t.Occurrence == occurrence)
        && t.Status is AssignmentTaskStatus.Waiting or AssignmentTaskStatus.Scheduled);

    public void Apply(AssignmentTaskCompleted e)
    {
        if (Task(e.TaskId) is not { } task) return;
        task.Status = AssignmentTaskStatus.Completed;
        task.DoneAt = e.At;
        task.DoneBeforeRequest = e.DoneBeforeRequest;
        task.Score = e.Score;
        task.Severity = e.Severity;
        task.Answers = e.Answers is null ? null : new Dictionary<string, string>(e.Answers);
    }

    public void Apply(AssignmentTaskSkipped e)
    {
        var task = e.TaskId is { } id ? Task(id) : null;
        if (task is null)
        {
            var spec = Stages[e.Stage].AllTasks().First(t => t.Key == e.Key);
            task = new AssignmentTask { Key = e.Key, Stage = e.Stage, Kind = spec.Kind, SubjectId = spec.SubjectId, Title = e.Title };
            Tasks.Add(task);
        }

        task.Status = AssignmentTaskStatus.Skipped;
        task.SkipReason = e.Reason;
        task.DoneAt = e.At;
    }

    public void Apply(AssignmentTaskNotNeeded e)
    {
        var task = e.TaskId is { } id ? Task(id) : Placeholder(e.Key, e.Stage, null);
        if (task is null)
        {
            var spec = Stages[e.Stage].AllTasks().First(t => t.Key == e.Key);
            task = new AssignmentTask { Key = e.Key, Stage = e.Stage, Kind = spec.Kind, SubjectId = spec.SubjectId, Title = e.Title };
            Tasks.Add(task);
        }

        task.Status = AssignmentTaskStatus.NotNeeded;
        task.SkipReason = e.Reason;
        task.DoneAt = e.At;
    }

    public void Apply(AssignmentReminderSent e)
    {
        if (Task(e.TaskId) is not { } task) return;
        if (!e.ByProvider) task.RemindersSent = Math.Max(task.RemindersSent, e.Number);
        task.LastReminderAt = e.At;
    }

    public void Apply(AssignmentTaskOverdue e)
    {
        if (Task(e.TaskId) is { } task) task.Overdue = true;
    }

    public void Apply(AssignmentFinished e)
    {
        Status = AssignmentStatus.Completed;
        EndedAt = e.At;
    }

    public void Apply(AssignmentCancelled e)
    {
        Status = AssignmentStatus.Cancelled;
        EndedAt = e.At;
        CancelReason = e.Reason;
    }

    // Workflows v2, dates and recurrence (#30 items 1, 3).

    public void Apply(AssignmentDateSet e) =>
        Dates[e.Name] = new AssignmentDate { Value = e.Value, Local = e.Local, Zone = e.Zone };

    public void Apply(AssignmentTaskWaiting e)
    {
        var task = PlaceholderFor(e.Key, e.Stage, e.Occurrence, e.Title);
        task.Status = AssignmentTaskStatus.Waiting;
        task.WaitingFor = e.DateName;
        task.OpensAt = null;
    }

    public void Apply(AssignmentTaskScheduled e)
    {
        var task = PlaceholderFor(e.Key, e.Stage, e.Occurrence, e.Title);
        task.Status = AssignmentTaskStatus.Scheduled;
        task.WaitingFor = null;
        task.OpensAt = e.OpensAt;
    }

    public void Apply(AssignmentTaskDueChanged e)
    {
        if (Task(e.TaskId) is not { } task) return;
        task.DueAt = e.DueAt;
        // A due date moved later (or away) is not overdue any more; its new timer marks it again when it comes.
        if (e.DueAt is null || e.DueAt > e.At) task.Overdue = false;
    }

    private AssignmentTask PlaceholderFor(string key, int stage, int occurrence, string title)
    {
        if (Placeholder(key, stage, occurrence) is { } known) return known;
        var spec = Stages[stage].AllTasks().First(t => t.Key == key);
        var task = new AssignmentTask
        {
            Key = key, Stage = stage, Kind = spec.Kind, SubjectId = spec.SubjectId, Title = title, Occurrence = occurrence,
        };
        Tasks.Add(task);
        return task;
    }

    // Migration to another version (#30 item 5): the tasks reached stay, mapped by key onto the new stages.
    public void Apply(AssignmentMigrated e)
    {
        Stages = [.. e.Stages];
        DefinitionVersion = e.ToVersion;
        CurrentStage = e.Stage;
        LastMigration = e with { Stages = [], Tasks = [] };
        foreach (var moved in e.Tasks)
        {
            var task = Tasks.FirstOrDefault(t => t.Key == moved.Key && t.TaskId == moved.TaskId);
            if (task is null) continue;
            // A task whose key is gone keeps its old stage number: it is shown, never looked up in the new stages.
            if (moved.ToStage is { } stage) task.Stage = stage;
            task.Removed = moved.ToStage is null;
            if (moved.Outcome != MigratedTaskOutcome.Dropped) continue;
            task.Status = AssignmentTaskStatus.Skipped;
            task.SkipReason = RemovedByNewVersion;
            task.DoneAt = e.At;
        }
    }

    public const string RemovedByNewVersion = "Removed by the new version.";
}
