using System.Globalization;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Timers;

namespace Portal.Intake.Engine;

/// <summary>
/// The decisions of an assignment's process, as pure code over its state: each call appends events (applied to the
/// state at once, so later decisions see them), messages to publish and timers to schedule. The caller appends the
/// events to the stream and sends the messages in the same transaction (outbox).
/// </summary>
internal sealed partial class AssignmentProcess(IntakeAssignment state, DateTimeOffset now)
{
    private static readonly System.Text.Json.JsonSerializerOptions CloneOptions = new();

    /// <summary>
    /// A process over a copy of the stream's state. Marten may apply the appended events to the very instance
    /// FetchForWriting returned (inline snapshot with the identity map), so decisions never mutate that instance.
    /// </summary>
    public static AssignmentProcess Continue(IntakeAssignment fetched, DateTimeOffset now) =>
        new(System.Text.Json.JsonSerializer.Deserialize<IntakeAssignment>(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(fetched, CloneOptions), CloneOptions)!, now);

    /// <summary>
    /// A task requested within this long after the client did the same thing (added insurance, signed that document,
    /// completed that form or assessment) is completed at once, marked "done before request", and nothing is asked
    /// of the client. Older actions do not count: the provider is asking for a fresh one.
    /// </summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromDays(14);

    public IntakeAssignment State { get; } = state;
    public DateTimeOffset Now { get; } = now;
    public List<object> Events { get; } = [];
    public List<object> Messages { get; } = [];
    public List<(object Message, DateTimeOffset At)> Timers { get; } = [];

    public static AssignmentProcess Start(AssignmentStarted started, ClientActivity? activity)
    {
        var process = new AssignmentProcess(new IntakeAssignment(), started.At);
        process.Emit(started);
        process.Advance(activity);
        return process;
    }

    /// <summary>Opens the next stages while the current one has nothing open; finishes after the last.</summary>
    public void Advance(ClientActivity? activity)
    {
        while (State.Status == AssignmentStatus.Running)
        {
            // "At or before": after a move to another version a task of an earlier stage can still be open (AssignmentMigration).
            if (State.CurrentStage >= 0 && State.Tasks.Any(t => t.Stage <= State.CurrentStage && t.Status == AssignmentTaskStatus.Open))
                return;

            var next = State.CurrentStage + 1;
            if (next >= State.Stages.Count)
            {
                Emit(new AssignmentFinished(State.Id, Now));
                Messages.Add(new AssignmentCompleted(State.Id, State.ClientId, State.ProviderId, State.WorkflowName, Now));
                return;
            }

            var stage = State.Stages[next];
            Emit(new AssignmentStageStarted(State.Id, next, stage.Name, Now));
            foreach (var spec in stage.Tasks) Open(spec, next, activity);
        }
    }

    private void Open(TaskSpec spec, int stage, ClientActivity? activity)
    {
        var title = spec.Title ?? spec.Kind.ToString();
        if (spec.Condition is { } condition && !Matches(condition))
        {
            Emit(new AssignmentTaskSkipped(State.Id, null, spec.Key, stage, title, true, Describe(condition), null, Now));
            return;
        }

        var taskId = Guid.CreateVersion7();
        DateTimeOffset? dueAt = spec.DueInDays is { } days ? Now.AddDays(days) : null;
        Emit(new AssignmentTaskRequested(State.Id, taskId, spec.Key, stage, spec.Kind, spec.SubjectId, title, Now, dueAt));

        var needsAnswers = spec.Kind == TaskKind.CompleteIntakeForm && FieldsTested(spec.Key).Count > 0;
        if (!needsAnswers && activity?.RecentFor(spec.Kind, spec.SubjectId, Now - RecentWindow) is { } done)
        {
            Complete(State.Task(taskId)!, done, beforeRequest: true);
            return;
        }

        Messages.Add(new TaskRequested(taskId, State.Id, State.ClientId, State.ProviderId, spec.Kind, title, spec.SubjectId, Now, dueAt));
        if (spec.RemindEveryDays is { } every && spec.MaxReminders > 0)
        {
            var at = Now.AddDays(every);
            Timers.Add((new SendTaskReminder(State.Id, taskId, 1, at), at));
        }

        if (dueAt is { } due) Timers.Add((new MarkTaskOverdue(State.Id, taskId, due), due));
    }

    /// <summary>Completes the open tasks the fact satisfies, then moves on. False when it satisfied none.</summary>
    public bool CompleteMatching(ClientFact fact, ClientActivity? activity)
    {
        if (State.IsTerminal) return false;
        var matching = State.OpenTasks.Where(fact.Satisfies).Where(t => AcceptsAsCompletion(t, fact)).ToList();
        foreach (var task in matching) Complete(task, fact, beforeRequest: false);
        if (matching.Count > 0) Advance(activity);
        return matching.Count > 0;
    }

    /// <summary>
    /// A form whose answers a later condition tests completes only with its answers (<see cref="IntakeFormAnswersShared"/>);
    /// the plain "form completed" message would leave the condition nothing to test.
    /// </summary>
    private bool AcceptsAsCompletion(AssignmentTask task, ClientFact fact) =>
        task.Kind != TaskKind.CompleteIntakeForm || fact.Answers is not null || FieldsTested(task.Key).Count == 0;

    private void Complete(AssignmentTask task, ClientFact fact, bool beforeRequest)
    {
        var tested = FieldsTested(task.Key);
        var keepScore = task.Kind == TaskKind.CompleteAssessment && tested.Count > 0;
        var answers = task.Kind == TaskKind.CompleteIntakeForm && fact.Answers is not null && tested.Count > 0
            ? fact.Answers.Where(a => tested.Contains(a.Key)).ToDictionary(a => a.Key, a => a.Value)
            : null;
        Emit(new AssignmentTaskCompleted(State.Id, task.TaskId!.Value, fact.Source, fact.EventId, beforeRequest,
            keepScore ? fact.Score : null, keepScore ? fact.Severity : null, answers, Now));
        // A task done before it was requested was never announced with TaskRequested.
        if (!beforeRequest) Closed(task.TaskId!.Value, TaskOutcome.Completed);
    }

    private void Closed(Guid taskId, TaskOutcome outcome) =>
        Messages.Add(new TaskClosed(taskId, State.Id, State.ClientId, State.ProviderId, outcome, Now));

    public void Skip(AssignmentTask task, string reason, Actor by, ClientActivity? activity)
    {
        Emit(new AssignmentTaskSkipped(State.Id, task.TaskId, task.Key, task.Stage, task.Title, false, reason, by, Now));
        if (task.TaskId is { } taskId) Closed(taskId, TaskOutcome.Skipped);
        Advance(activity);
    }

    public void Cancel(string reason, Actor by)
    {
        var open = State.OpenTasks.Where(t => t.TaskId is not null).Select(t => t.TaskId!.Value).ToList();
        Emit(new AssignmentCancelled(State.Id, reason, by, Now));
        foreach (var taskId in open) Closed(taskId, TaskOutcome.Cancelled);
    }

    public void Remind(AssignmentTask task, int number, bool byProvider, string? reason)
    {
        Emit(new AssignmentReminderSent(State.Id, task.TaskId!.Value, number, byProvider, reason, Now));
        Messages.Add(new TaskReminderDue(Guid.CreateVersion7(), task.TaskId!.Value, State.ClientId, task.Title, number, task.DueAt,
            task.Kind));
    }

    public void MarkOverdue(AssignmentTask task) => Emit(new AssignmentTaskOverdue(State.Id, task.TaskId!.Value, task.DueAt!.Value, Now));

    public void Schedule(object message, DateTimeOffset at) => Timers.Add((message, at));

    /// <summary>The fields (form) or "score"/"severity" (assessment) that conditions of this assignment test on a task.</summary>
    private HashSet<string> FieldsTested(string key) =>
    [
        .. State.Stages.SelectMany(s => s.Tasks)
            .Where(t => t.Condition?.TaskKey == key)
            .Select(t => string.IsNullOrEmpty(t.Condition!.Field) ? "score" : t.Condition.Field),
    ];

    private bool Matches(TaskCondition condition)
    {
        var source = State.Tasks.FirstOrDefault(t => t.Key == condition.TaskKey);
        if (source is not { Status: AssignmentTaskStatus.Completed }) return false;
        var actual = source.Kind == TaskKind.CompleteAssessment
            ? condition.Field == "severity" ? source.Severity : source.Score?.ToString(CultureInfo.InvariantCulture)
            : source.Answers?.GetValueOrDefault(condition.Field ?? string.Empty);
        return ConditionWords.Matches(condition.Operator, actual, condition.Value);
    }

    private static string Describe(TaskCondition condition) =>
        $"Condition not met: {condition.TaskKey} {ConditionWords.Field(condition)} {ConditionWords.Words(condition.Operator)} {condition.Value}.";

    private void Emit(object @event)
    {
        Events.Add(@event);
        switch (@event)
        {
            case AssignmentStarted e: State.Apply(e); break;
            case AssignmentStageStarted e: State.Apply(e); break;
            case AssignmentTaskRequested e: State.Apply(e); break;
            case AssignmentTaskCompleted e: State.Apply(e); break;
            case AssignmentTaskSkipped e: State.Apply(e); break;
            case AssignmentReminderSent e: State.Apply(e); break;
            case AssignmentTaskOverdue e: State.Apply(e); break;
            case AssignmentFinished e: State.Apply(e); break;
            case AssignmentCancelled e: State.Apply(e); break;
            case AssignmentMigrated e: State.Apply(e); break;
            default: throw new InvalidOperationException($"Unknown assignment event {@event.GetType().Name}");
        }
    }
}

internal static class AssignmentProcessEffects
{
    /// <summary>Sends the process's messages and arms its timers through the handler's outbox.</summary>
    public static Task SendAsync(this AssignmentProcess process, IMessageBus bus) => SendAsync([process], bus);

    /// <summary>
    /// Sends the processes' messages and arms their timers through the handler's outbox. The tasks they requested go
    /// out together as <see cref="TasksRequested"/> (at most <see cref="TasksRequested.MaxTasks"/> a message), so a
    /// workflow assigned to hundreds of clients is one message to the task handlers, not one per task; their timers
    /// likewise, one <see cref="TimersDue"/> per moment.
    /// </summary>
    public static async Task SendAsync(this IReadOnlyCollection<AssignmentProcess> processes, IMessageBus bus)
    {
        var tasks = new List<TaskRequested>();
        foreach (var process in processes)
        {
            foreach (var message in process.Messages)
            {
                if (message is TaskRequested task) tasks.Add(task);
                else await bus.PublishAsync(message);
            }
        }

        await TimersDue.ArmAsync(processes.SelectMany(p => p.Timers), bus);

        foreach (var chunk in tasks.Chunk(TasksRequested.MaxTasks))
            await bus.PublishAsync(new TasksRequested(Guid.CreateVersion7(), chunk));
    }
}
