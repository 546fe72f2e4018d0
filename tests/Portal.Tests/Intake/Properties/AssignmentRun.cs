using System.Text.Json;
using Portal.BuildingBlocks.Time;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Timers;

namespace Portal.Tests.Intake.Properties;

/// <summary>
/// One assignment's life without a database: each step decides with the pure engine exactly as its handler does
/// (CompleteMatchingTasks, SkipTask, ResendTask, CancelAssignment, SendTaskReminderHandler, MarkTaskOverdueHandler: the
/// same guards, then AssignmentProcess; OpenScheduledTaskHandler, SetAssignmentDate, MigrateAssignments too), and
/// "commits" what it decided: the events to the stream, the messages to the
/// outbox, the timers to the armed set. The stored state is the process's state, as the inline snapshot would hold it.
/// </summary>
internal sealed class AssignmentRun
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private static readonly Actor Provider = new(ActorKind.Provider, Guid.Parse("00000000-0000-4000-8000-0000000000a1"), "Dr. Vale");

    private ClientFact? _lastFact;

    public IntakeAssignment State { get; private set; } = null!;
    public List<object> Events { get; } = [];
    public List<object> Messages { get; } = [];
    public List<(object Message, DateTimeOffset At)> Armed { get; } = [];
    public ClientActivity Activity { get; } = new() { Id = Guid.Parse("00000000-0000-4000-8000-0000000000c1") };
    public DateTimeOffset Now { get; private set; } = Start;

    /// <summary>The client's attributes, as the handlers load them from Intake's roster copy.</summary>
    public ClientAttributes Client { get; private init; } = null!;

    /// <summary>The version a migrate step moves to, and the stored state just before it moved (null: it never moved).</summary>
    public WorkflowContent? MigrateTo { get; private init; }
    public IntakeAssignment? BeforeMigration { get; private set; }

    /// <summary>How many events the stream had when it moved (those after are the new version's).</summary>
    public int EventsBeforeMigration { get; private set; } = -1;

    /// <summary>Called after every commit with the stored state (properties that must hold at every moment).</summary>
    public Action<AssignmentRun>? AfterEachCommit { get; init; }

    public static AssignmentRun Play(Scenario scenario, Action<AssignmentRun>? afterEachCommit = null)
    {
        var draft = scenario.Client;
        var zone = draft.EasternZone ? PortalTime.DefaultZone : TimeZoneInfo.Utc;
        var client = new ClientAttributes(draft.Billing switch { 1 => ClientBilling.Insurance, 2 => ClientBilling.SelfPay, _ => null },
            WorkflowGen.BirthDates[draft.Birth], WorkflowGen.Languages[draft.Language], zone);
        var run = new AssignmentRun { AfterEachCommit = afterEachCommit, Client = client, MigrateTo = scenario.MigrateTo };
        foreach (var fact in scenario.Before) run.Activity.Record(run.Fact(fact));
        var started = new AssignmentStarted(Guid.Parse("00000000-0000-4000-8000-0000000000e1"), run.Activity.Id,
            Provider.UserId, Guid.Parse("00000000-0000-4000-8000-0000000000d1"), 1, scenario.Definition.Name,
            scenario.Definition.Stages, Provider, run.Now);
        IReadOnlyList<AssignmentDateSet> dates = scenario.FirstSessionInDays is { } days ? [run.FirstSession(days)] : [];
        run.Commit(AssignmentProcess.Start(started, run.Activity.Facts.Count == 0 ? null : run.Activity, client, dates));
        foreach (var step in scenario.Steps) run.Apply(step);
        return run;
    }

    private void Apply(Step step)
    {
        Now = Now.AddHours(step.Hours);
        switch (step)
        {
            case FactStep f:
                _lastFact = Fact(f.Fact);
                Record(_lastFact);
                break;
            case DuplicateStep when _lastFact is not null:
                Record(_lastFact);
                break;
            case SkipStep s when OpenTask(s.Pick) is { } task:
                Decide(p => p.Skip(p.State.Task(task.TaskId!.Value)!, "Done on paper", Provider, Activity));
                break;
            case ResendStep r when OpenTask(r.Pick) is { } task:
                Decide(p => p.Remind(p.State.Task(task.TaskId!.Value)!, task.RemindersSent + 1, byProvider: true, "Sent again"));
                break;
            case TimerStep t when Armed.Count > 0:
                Fire(t);
                break;
            case CancelStep when !State.IsTerminal:
                Decide(p => p.Cancel("No longer needed", Provider));
                break;
            case DateStep d when !State.IsTerminal:
                var date = FirstSession(d.DaysFromNow);
                Decide(p => p.SetDate(date.Name, date.Value, date.Local, date.Zone, Provider, Activity));
                break;
            case MigrateStep when MigrateTo is not null && BeforeMigration is null && !State.IsTerminal:
                // MigrateAssignments: only a running assignment moves, once, to the newer version.
                BeforeMigration = Clone(State);
                EventsBeforeMigration = Events.Count;
                Decide(p => p.Migrate(2, MigrateTo.Stages, Provider, Activity));
                break;
        }
    }

    /// <summary>The first session at 3 pm (practice time) <paramref name="days"/> days from now, as the date endpoint sets it.</summary>
    private AssignmentDateSet FirstSession(int days)
    {
        var zone = Client.Zone;
        var local = TimeZoneInfo.ConvertTime(Now, zone).Date.AddDays(days).AddHours(15);
        var value = TaskDates.FromLocal(local.ToString("yyyy-MM-dd'T'HH:mm"), zone)!.Value;
        return new AssignmentDateSet(Guid.Empty, TaskDates.FirstSession, value, local.ToString("yyyy-MM-dd'T'HH:mm"),
            zone.Id, Provider, Now);
    }

    private static IntakeAssignment Clone(IntakeAssignment state) =>
        JsonSerializer.Deserialize<IntakeAssignment>(JsonSerializer.Serialize(state))!;

    /// <summary>CompleteMatchingTasks: the fact is remembered on the activity, then completes what it matches.</summary>
    private void Record(ClientFact fact)
    {
        Activity.Record(fact);
        if (State.Status != AssignmentStatus.Running) return;
        var process = AssignmentProcess.Continue(State, Now, Client);
        if (process.CompleteMatching(fact, Activity)) Commit(process);
    }

    /// <summary>The timer handlers: delivered at (or after) its moment, it does something only for an open task.</summary>
    private void Fire(TimerStep step)
    {
        var index = step.Pick % Armed.Count;
        var (message, at) = Armed[index];
        if (!step.AgainLater) Armed.RemoveAt(index);
        if (at > Now) Now = at;
        if (State.IsTerminal) return;

        switch (message)
        {
            case SendTaskReminder timer:
                if (State.Task(timer.TaskId) is not { Status: AssignmentTaskStatus.Open } task) return;
                if (task.RemindersSent >= timer.Number) return;
                var spec = State.Stages.SelectMany(s => s.AllTasks()).First(t => t.Key == task.Key);
                Decide(p =>
                {
                    p.Remind(p.State.Task(timer.TaskId)!, timer.Number, byProvider: false, reason: null);
                    if (timer.Number < spec.MaxReminders && spec.RemindEveryDays is { } every)
                        p.Schedule(new SendTaskReminder(State.Id, timer.TaskId, timer.Number + 1, Now.AddDays(every)), Now.AddDays(every));
                });
                break;
            case MarkTaskOverdue timer:
                // As the handler: a due date that moved (a new date, or a migration that dropped it) leaves this timer idle.
                if (State.Task(timer.TaskId) is not { Status: AssignmentTaskStatus.Open, Overdue: false } due || due.DueAt != timer.DueAt)
                    return;
                Decide(p => p.MarkOverdue(p.State.Task(timer.TaskId)!));
                break;
            case OpenScheduledTask timer:
                // Opens only what the assignment still plans for this very moment (a moved date leaves the old timer idle).
                if (State.Tasks.FirstOrDefault(t => t is { TaskId: null, Status: AssignmentTaskStatus.Scheduled }
                        && t.Key == timer.Key && t.Occurrence == timer.Occurrence) is not { } scheduled
                    || scheduled.OpensAt != timer.OpensAt) return;
                Decide(p => p.OpenScheduled(p.State.Placeholder(scheduled.Key, scheduled.Stage, scheduled.Occurrence)!, Activity));
                break;
            default:
                throw new InvalidOperationException($"A timer the run does not know: {message.GetType().Name}");
        }
    }

    /// <summary>An open task of a running assignment (the endpoints answer 409 otherwise: nothing happens).</summary>
    private AssignmentTask? OpenTask(int pick)
    {
        if (State.IsTerminal) return null;
        var open = State.OpenTasks.Where(t => t.TaskId is not null).ToList();
        return open.Count == 0 ? null : open[pick % open.Count];
    }

    private void Decide(Action<AssignmentProcess> decide)
    {
        var process = AssignmentProcess.Continue(State, Now, Client);
        decide(process);
        Commit(process);
    }

    private void Commit(AssignmentProcess process)
    {
        Events.AddRange(process.Events);
        Messages.AddRange(process.Messages);
        Armed.AddRange(process.Timers);
        State = process.State;
        AfterEachCommit?.Invoke(this);
    }

    private ClientFact Fact(FactDraft draft) => new()
    {
        Kind = draft.Kind,
        SubjectId = WorkflowGen.Subject(draft.Kind, draft.Subject),
        Source = $"{draft.Kind}.done",
        EventId = Guid.CreateVersion7(),
        At = Now.AddDays(-draft.DaysAgo),
        Score = draft.Kind == TaskKind.CompleteAssessment ? draft.Score : null,
        Severity = draft.Kind == TaskKind.CompleteAssessment ? WorkflowGen.Severities[draft.Severity] : null,
        Answers = draft is { Kind: TaskKind.CompleteIntakeForm, WithAnswers: true }
            ? new Dictionary<string, string>
            {
                ["mood"] = WorkflowGen.AnswerValues[draft.Mood],
                ["has_insurance"] = WorkflowGen.AnswerValues[draft.Insured],
            }
            : null,
    };

    /// <summary>The stream's events applied in order to a new state, as Marten rebuilds it.</summary>
    public IntakeAssignment Replay() => Replay(null);

    /// <summary>The replay, calling <paramref name="after"/> with each event and the state it led to.</summary>
    public IntakeAssignment Replay(Action<object, IntakeAssignment>? after)
    {
        var state = new IntakeAssignment();
        foreach (var e in Events)
        {
            // Apply(e) by the event's own type, as Marten's projection calls it.
            var apply = Appliers.GetOrAdd(e.GetType(), type => typeof(IntakeAssignment).GetMethod(nameof(IntakeAssignment.Apply), [type])
                ?? throw new InvalidOperationException($"IntakeAssignment has no Apply({type.Name})"));
            apply.Invoke(state, [e]);
            after?.Invoke(e, state);
        }
        return state;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.MethodInfo> Appliers = new();

    public static string Json(IntakeAssignment state) => JsonSerializer.Serialize(state);
}
