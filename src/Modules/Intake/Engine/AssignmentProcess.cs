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
internal sealed partial class AssignmentProcess(IntakeAssignment state, DateTimeOffset now, ClientAttributes? client = null)
{
    private static readonly System.Text.Json.JsonSerializerOptions CloneOptions = new();

    /// <summary>
    /// A process over a copy of the stream's state. Marten may apply the appended events to the very instance
    /// FetchForWriting returned (inline snapshot with the identity map), so decisions never mutate that instance.
    /// </summary>
    /// <param name="client">
    /// The client's attributes, for conditions that read them: a call that may open tasks (completion, skip, a date, a
    /// timer that opens a task, a move to another version) passes them; one that only closes or reminds may leave them out.
    /// </param>
    public static AssignmentProcess Continue(IntakeAssignment fetched, DateTimeOffset now, ClientAttributes? client = null) =>
        new(System.Text.Json.JsonSerializer.Deserialize<IntakeAssignment>(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(fetched, CloneOptions), CloneOptions)!, now, client);

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

    /// <summary>
    /// The client's billing, age and language, for conditions that read them (given to <see cref="Start"/> or
    /// <see cref="Continue"/>); a condition on an attribute without it is a programming error, not a skip.
    /// </summary>
    public ClientAttributes? Client { get; } = client;

    public static AssignmentProcess Start(AssignmentStarted started, ClientActivity? activity, ClientAttributes? client = null,
        IReadOnlyList<AssignmentDateSet>? dates = null)
    {
        var process = new AssignmentProcess(new IntakeAssignment(), started.At, client);
        process.Emit(started);
        foreach (var date in dates ?? []) process.Emit(date with { AssignmentId = started.AssignmentId });
        process.Advance(activity);
        return process;
    }

    /// <summary>
    /// Moves the current stage on (the next task of each track whose previous task is done) and opens the next stages
    /// while the current one is done; finishes after the last, closing optional tasks left open as not needed.
    /// </summary>
    public void Advance(ClientActivity? activity)
    {
        while (State.Status == AssignmentStatus.Running)
        {
            if (State.CurrentStage >= 0)
            {
                AdvanceTracks(State.CurrentStage, activity);
                if (State.Status != AssignmentStatus.Running || !StageDone(State.CurrentStage)) return;
                // After a move to another version a task of an earlier stage can still be open (AssignmentMigration).
                if (State.Tasks.Any(t => t.Stage < State.CurrentStage && t.Pending && !t.Removed && Spec(t.Key)?.Required != false))
                    return;
            }

            var next = State.CurrentStage + 1;
            if (next >= State.Stages.Count)
            {
                // Only optional tasks can still be open, waiting or scheduled here: required ones hold their stage.
                foreach (var optional in State.Tasks.Where(t => t.Pending).ToList())
                    NotNeeded(optional.Key, optional.Stage, optional.TaskId, optional.Title, OptionalLeftOpen);
                Emit(new AssignmentFinished(State.Id, Now));
                Messages.Add(new AssignmentCompleted(State.Id, State.ClientId, State.ProviderId, State.WorkflowName, Now));
                return;
            }

            var stage = State.Stages[next];
            Emit(new AssignmentStageStarted(State.Id, next, stage.Name, Now));
            foreach (var spec in stage.Tasks ?? []) Open(spec, next, activity);
        }
    }

    public const string AnotherTrackFinished = "Not needed: another track finished first.";
    public const string OptionalLeftOpen = "Not needed: the workflow finished without this optional task.";

    /// <summary>
    /// Opens the next task of every track that waits on nothing (its tasks so far are done, or optional), until no
    /// track can move. With Join Any, the first track to finish having done something closes the other tracks.
    /// </summary>
    private void AdvanceTracks(int stage, ClientActivity? activity)
    {
        var spec = State.Stages[stage];
        var tracks = spec.Tracks ?? [];
        if (tracks.Count == 0) return;
        bool moved;
        do
        {
            moved = false;
            foreach (var track in tracks)
            {
                if (State.Status != AssignmentStatus.Running) return;
                if (track.Tasks.Any(t => Reached(t.Key) && WaitsOn(t.Key))) continue;
                var next = track.Tasks.FirstOrDefault(t => !Reached(t.Key));
                if (next is null) continue;
                Open(next, stage, activity);
                moved = true;
            }

            var winner = spec.Join == AllOrAny.Any ? tracks.ToList().FindIndex(FinishedFirst) : -1;
            if (winner >= 0)
            {
                foreach (var other in tracks.Where((_, i) => i != winner))
                foreach (var task in other.Tasks)
                {
                    var reached = State.Tasks.Where(t => t.Key == task.Key).ToList();
                    if (reached.Count == 0) NotNeeded(task.Key, stage, null, task.Title ?? task.Kind.ToString(), AnotherTrackFinished);
                    foreach (var pending in reached.Where(t => t.Pending))
                        NotNeeded(pending.Key, stage, pending.TaskId, pending.Title, AnotherTrackFinished);
                }
            }
        }
        while (moved);
    }

    /// <summary>
    /// A track that counts as "the one" for Join Any: all its tasks reached, none waited on, and at least one done by
    /// the client. A track whose every task was skipped by its condition did not finish anything, so it does not end
    /// the others (a stage whose tracks all end that way is still done, see <see cref="StageDone"/>).
    /// </summary>
    private bool FinishedFirst(TrackSpec track) =>
        track.Tasks.All(t => Reached(t.Key) && !WaitsOn(t.Key))
        && track.Tasks.Any(t => State.Tasks.Any(r => r.Key == t.Key && r.Status == AssignmentTaskStatus.Completed));

    /// <summary>Every task of the stage was reached, and none of them is a required task still open.</summary>
    private bool StageDone(int stage) =>
        State.Stages[stage].AllTasks().All(t => Reached(t.Key) && !WaitsOn(t.Key));

    private bool Reached(string key) => State.Tasks.Any(t => t.Key == key);

    /// <summary>
    /// A task holds up its track and stage while it is required and open, waiting for a date or scheduled (a repeat's next
    /// occurrence too); an optional task never does.
    /// </summary>
    private bool WaitsOn(string key) =>
        State.Tasks.Any(t => t.Key == key && t.Pending) && Spec(key)?.Required != false;

    private TaskSpec? Spec(string key) => State.Stages.SelectMany(s => s.AllTasks()).FirstOrDefault(t => t.Key == key);

    private void NotNeeded(string key, int stage, Guid? taskId, string title, string reason)
    {
        Emit(new AssignmentTaskNotNeeded(State.Id, taskId, key, stage, title, reason, Now));
        if (taskId is { } id) Closed(id, TaskOutcome.NotNeeded);
    }

    private void Open(TaskSpec spec, int stage, ClientActivity? activity)
    {
        var title = spec.Title ?? spec.Kind.ToString();
        if (spec.Guard() is { } guard && !Holds(guard))
        {
            Emit(new AssignmentTaskSkipped(State.Id, null, spec.Key, stage, title, true, Describe(guard), null, Now));
            return;
        }

        Place(spec, stage, 1, TaskDates.Plan(spec, State.StageStartedAt.GetValueOrDefault(stage, Now), State.Dates), activity);
    }

    /// <summary>Asks the client for the task now (the plan's moment has come).</summary>
    private void Request(TaskSpec spec, int stage, DateTimeOffset? dueAt, ClientActivity? activity, int occurrence = 1)
    {
        var title = spec.Title ?? spec.Kind.ToString();
        var taskId = Guid.CreateVersion7();
        Emit(new AssignmentTaskRequested(State.Id, taskId, spec.Key, stage, spec.Kind, spec.SubjectId, title, Now, dueAt)
        {
            Occurrence = occurrence > 1 ? occurrence : null,
        });
        // A schedule's occurrence opened: the forms module's view of the schedule counts it and shows when it is due.
        if (State.ScheduleId is { } scheduleId)
            Messages.Add(new AssessmentOccurrenceOpened(Guid.CreateVersion7(), scheduleId, State.ClientId, State.Task(taskId)!.Occurrence,
                Now, dueAt));

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
        RepeatAfter(task);
    }

    private void Closed(Guid taskId, TaskOutcome outcome) =>
        Messages.Add(new TaskClosed(taskId, State.Id, State.ClientId, State.ProviderId, outcome, Now));

    public void Skip(AssignmentTask task, string reason, Actor by, ClientActivity? activity)
    {
        Emit(new AssignmentTaskSkipped(State.Id, task.TaskId, task.Key, task.Stage, task.Title, false, reason, by, Now));
        if (task.TaskId is { } taskId) Closed(taskId, TaskOutcome.Skipped);
        if (task.TaskId is not null) RepeatAfter(State.Task(task.TaskId.Value)!);
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

    // Workflows v2, dates and recurrence (#30 items 1, 3).

    /// <summary>
    /// Where a reached task goes: waiting for its date, scheduled (a durable timer opens it), or requested now. A plan
    /// equal to the task's current one emits nothing, so re-planning after an unrelated change is silent.
    /// </summary>
    private void Place(TaskSpec spec, int stage, int occurrence, TaskPlan plan, ClientActivity? activity)
    {
        var title = spec.Title ?? spec.Kind.ToString();
        var current = State.Placeholder(spec.Key, stage, occurrence);
        if (plan.WaitingFor is { } date)
        {
            if (current is not { Status: AssignmentTaskStatus.Waiting } || current.WaitingFor != date)
                Emit(new AssignmentTaskWaiting(State.Id, spec.Key, stage, title, occurrence, date, Now));
            return;
        }

        var opensAt = plan.OpensAt!.Value;
        if (opensAt > Now)
        {
            if (current is { Status: AssignmentTaskStatus.Scheduled } && current.OpensAt == opensAt) return;
            Emit(new AssignmentTaskScheduled(State.Id, spec.Key, stage, title, occurrence, opensAt, Now));
            Timers.Add((new OpenScheduledTask(State.Id, spec.Key, occurrence, opensAt), opensAt));
            return;
        }

        // A repeat asks for a fresh answer: what completed the previous occurrence never completes the next.
        Request(spec, stage, plan.DueAt, occurrence > 1 ? null : activity, occurrence);
    }

    /// <summary>The next occurrence of a repeating task, once this one is completed or skipped, until the repeat ends.</summary>
    private void RepeatAfter(AssignmentTask task)
    {
        if (State.IsTerminal || task.RequestedAt is null) return;
        if (SpecOf(task) is not { Repeat: { } repeat } spec || !TaskDates.RepeatsAfter(repeat, task.Occurrence)) return;
        Place(spec, task.Stage, task.Occurrence + 1, TaskDates.Next(repeat, task), null);
    }

    /// <summary>A scheduled task's moment came (its timer, checked against the current plan by the caller).</summary>
    public void OpenScheduled(AssignmentTask task, ClientActivity? activity)
    {
        var spec = SpecOf(task)!;
        Request(spec, task.Stage, DueOfScheduled(spec, task), task.Occurrence > 1 ? null : activity, task.Occurrence);
        Advance(activity);
    }

    private DateTimeOffset? DueOfScheduled(TaskSpec spec, AssignmentTask task)
    {
        if (task.Occurrence == 1)
            return TaskDates.Plan(spec, State.StageStartedAt.GetValueOrDefault(task.Stage, Now), State.Dates).DueAt;
        var previous = State.Tasks.Single(t => t.Key == task.Key && t.Stage == task.Stage && t.Occurrence == task.Occurrence - 1);
        return TaskDates.Next(spec.Repeat!, previous).DueAt;
    }

    /// <summary>
    /// Sets or changes a named date and re-plans what depends on it: a task waiting for it is scheduled or opens, a
    /// scheduled one moves (its old timer then finds a different plan and does nothing), an open one's due date moves.
    /// </summary>
    public void SetDate(string name, DateTimeOffset value, string local, string zone, Actor by, ClientActivity? activity)
    {
        Emit(new AssignmentDateSet(State.Id, name, value, local, zone, by, Now));
        if (State.IsTerminal) return;
        foreach (var task in State.Tasks.Where(t => t.Occurrence == 1).ToList())
        {
            if (SpecOf(task) is not { } spec) continue;
            var waitsForIt = task.Status == AssignmentTaskStatus.Waiting;
            if (!waitsForIt && !TaskDates.DependsOn(spec, name)) continue;
            var plan = TaskDates.Plan(spec, State.StageStartedAt.GetValueOrDefault(task.Stage, Now), State.Dates);
            if (task.Status is AssignmentTaskStatus.Waiting or AssignmentTaskStatus.Scheduled)
                Place(spec, task.Stage, 1, plan, activity);
            else if (task is { Status: AssignmentTaskStatus.Open, TaskId: { } taskId } && plan.WaitingFor is null && plan.DueAt != task.DueAt)
            {
                Emit(new AssignmentTaskDueChanged(State.Id, taskId, plan.DueAt, Now));
                if (plan.DueAt is { } due) Timers.Add((new MarkTaskOverdue(State.Id, taskId, due), due));
            }
        }

        Advance(activity);
    }

    /// <summary>The version's spec of a task of this assignment.</summary>
    private TaskSpec? SpecOf(AssignmentTask task) =>
        task.Stage < State.Stages.Count ? State.Stages[task.Stage].AllTasks().FirstOrDefault(t => t.Key == task.Key) : null;

    public void MarkOverdue(AssignmentTask task) => Emit(new AssignmentTaskOverdue(State.Id, task.TaskId!.Value, task.DueAt!.Value, Now));

    public void Schedule(object message, DateTimeOffset at) => Timers.Add((message, at));

    /// <summary>The fields (form) or "score"/"severity" (assessment) that conditions of this assignment test on a task.</summary>
    private HashSet<string> FieldsTested(string key) =>
    [
        .. State.Stages.SelectMany(s => s.AllTasks())
            .SelectMany(t => t.Guard()?.AllConditions() ?? [])
            .Where(c => c.Attribute is null && c.TaskKey == key)
            .Select(ConditionWords.Field),
    ];

    private bool Holds(ConditionGroup guard) => ConditionWords.Holds(guard, Actual);

    /// <summary>What a condition reads now: an earlier task's kept result, or the client's attribute today.</summary>
    private string? Actual(TaskCondition condition)
    {
        if (condition.Attribute is { } attribute)
        {
            if (Client is null)
                throw new InvalidOperationException($"A condition reads the client's {attribute}: pass the client's attributes to the process.");
            return Client.Value(attribute, Now);
        }

        var source = State.Tasks.FirstOrDefault(t => t.Key == condition.TaskKey);
        if (source is not { Status: AssignmentTaskStatus.Completed }) return null;
        return source.Kind == TaskKind.CompleteAssessment
            ? condition.Field == "severity" ? source.Severity : source.Score?.ToString(CultureInfo.InvariantCulture)
            : source.Answers?.GetValueOrDefault(condition.Field ?? string.Empty);
    }

    /// <summary>"Condition not met: client bills insurance and the PHQ-9 score is at least 10."</summary>
    private string Describe(ConditionGroup guard) =>
        $"Condition not met: {ConditionWords.Describe(guard, [.. State.Stages.SelectMany(s => s.AllTasks())], [])}.";

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
            case AssignmentDateSet e: State.Apply(e); break;
            case AssignmentTaskWaiting e: State.Apply(e); break;
            case AssignmentTaskScheduled e: State.Apply(e); break;
            case AssignmentTaskDueChanged e: State.Apply(e); break;
            case AssignmentTaskNotNeeded e: State.Apply(e); break;
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
