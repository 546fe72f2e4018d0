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

    public bool IsTerminal => Status != AssignmentStatus.Running;

    public int TotalTasks => Stages.Sum(s => s.AllTasks().Count());

    public int DoneTasks => Tasks.Count(t => t.Status != AssignmentTaskStatus.Open);

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
    }

    public void Apply(AssignmentStageStarted e) => CurrentStage = e.Stage;

    public void Apply(AssignmentTaskRequested e) => Tasks.Add(new AssignmentTask
    {
        TaskId = e.TaskId,
        Key = e.Key,
        Stage = e.Stage,
        Kind = e.Kind,
        SubjectId = e.SubjectId,
        Title = e.Title,
        Status = AssignmentTaskStatus.Open,
        RequestedAt = e.At,
        DueAt = e.DueAt,
    });

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
        var task = e.TaskId is { } id ? Task(id) : null;
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
}
