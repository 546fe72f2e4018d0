using CsCheck;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Tests.Intake.Properties;

/// <summary>
/// What must hold for every workflow and every order in which a client's facts, the provider's actions and the
/// timers arrive (late, twice, after the task closed, after a cancellation). A failure prints the shrunk definition
/// and steps (<see cref="Scenario"/>), a case a person can replay by hand.
/// </summary>
public sealed class AssignmentProperties
{
    private const int Iterations = 1500;

    [Fact]
    public void Random_definitions_are_ones_the_builder_accepts()
    {
        var validator = new WorkflowContentValidator();
        WorkflowGen.Definitions.Sample(definition =>
            validator.Validate(definition).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ShouldBeEmpty(),
            iter: 1000, print: WorkflowGen.Describe);
        WorkflowGen.VersionPairs.Sample(pair =>
        {
            validator.Validate(pair.From).Errors.ShouldBeEmpty();
            validator.Validate(pair.To).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ShouldBeEmpty();
        }, iter: 1000, print: pair => $"\nfrom:\n{WorkflowGen.Describe(pair.From)}to:\n{WorkflowGen.Describe(pair.To)}");
    }

    [Fact]
    public void A_completed_task_is_never_requested_again_nor_closed_twice() =>
        WorkflowGen.Scenarios.Sample(scenario => NeverAskedTwice(AssignmentRun.Play(scenario)), iter: Iterations, print: s => s.ToString());

    /// <summary>
    /// Each occurrence of a task (its key and occurrence number: a repeat asks again as occurrence 2, 3, ...) is asked for
    /// at most once, never after it was done, skipped or closed; each task id is closed at most once.
    /// </summary>
    private static void NeverAskedTwice(AssignmentRun run)
    {
        var asked = new HashSet<(string, int)>();
        var ended = new HashSet<(string, int)>();
        var closedTasks = new HashSet<Guid>();
        run.Replay((e, state) =>
        {
            switch (e)
            {
                case AssignmentTaskRequested requested:
                    var occurrence = state.Task(requested.TaskId)!.Occurrence;
                    ended.ShouldNotContain((requested.Key, occurrence), $"{requested.Key} #{occurrence} was requested again after it was done");
                    asked.Add((requested.Key, occurrence)).ShouldBeTrue($"{requested.Key} #{occurrence} was requested twice");
                    break;
                case AssignmentTaskCompleted completed:
                    closedTasks.Add(completed.TaskId).ShouldBeTrue($"task {Key(run, completed.TaskId)} was completed or skipped twice");
                    ended.Add(Occurrence(state, completed.TaskId));
                    break;
                case AssignmentTaskSkipped { TaskId: { } skipped }:
                    closedTasks.Add(skipped).ShouldBeTrue($"task {Key(run, skipped)} was completed or skipped twice");
                    ended.Add(Occurrence(state, skipped));
                    break;
                case AssignmentTaskSkipped byCondition:
                    ended.Add((byCondition.Key, 1));
                    break;
                case AssignmentTaskNotNeeded { TaskId: { } closed }:
                    closedTasks.Add(closed).ShouldBeTrue($"task {Key(run, closed)} was closed twice");
                    ended.Add(Occurrence(state, closed));
                    break;
            }
        });
    }

    private static (string, int) Occurrence(IntakeAssignment state, Guid taskId) =>
        state.Task(taskId) is { } task ? (task.Key, task.Occurrence) : (taskId.ToString(), 0);

    /// <summary>
    /// The "migrate without losing completed work": random version pairs (v2 keeps some keys of v1, drops others,
    /// adds tasks and stages), random lives on v1, a move at a random point, then more life on v2.
    /// </summary>
    [Fact]
    public void Moving_to_a_newer_version_keeps_what_was_done_and_never_asks_it_again() =>
        WorkflowGen.MigrationScenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario, afterEachCommit: NeverCompletesWithATaskOpen);
            NeverAskedTwice(run);
            AssignmentRun.Json(run.Replay()).ShouldBe(AssignmentRun.Json(run.State), "replaying the stream gives another state");
            if (run.BeforeMigration is not { } before) return;

            foreach (var done in before.Tasks.Where(t => !t.Pending))
            {
                var after = run.State.Tasks.SingleOrDefault(t => t.Key == done.Key && t.Occurrence == done.Occurrence && t.TaskId == done.TaskId)
                    .ShouldNotBeNull($"{done.Key} #{done.Occurrence} ({done.Status}) disappeared with the move");
                after.Status.ShouldBe(done.Status, $"{done.Key} #{done.Occurrence} was {done.Status} before the move");
                after.Score.ShouldBe(done.Score, $"{done.Key} lost its score");
                after.Answers.ShouldBe(done.Answers, $"{done.Key} lost its answers");
            }

            // The move itself is one event; what it opens is asked of the client as new tasks, never those it had.
            var moved = run.Events.Skip(run.EventsBeforeMigration).ToList();
            moved.OfType<AssignmentMigrated>().Count().ShouldBe(1, "one move, one event");
            ClosedExactlyOnce(run);
            foreach (var open in before.Tasks.Where(t => t is { Status: AssignmentTaskStatus.Open }))
            {
                var gone = scenario.MigrateTo!.AllTasks().All(t => t.Key != open.Key);
                var now = run.State.Task(open.TaskId!.Value).ShouldNotBeNull();
                if (gone) now.Removed.ShouldBeTrue($"{open.Key} is not in the new version but still counts");
            }
        }, iter: Iterations, print: s => s.ToString());

    /// <summary>
    /// When the assignment completes nothing is open, waiting or scheduled, and every required task of the version it
    /// runs on now was reached.
    /// </summary>
    private static void NeverCompletesWithATaskOpen(AssignmentRun run)
    {
        if (run.State.Status != AssignmentStatus.Completed) return;
        run.State.Tasks.Where(t => t.Pending).Select(t => $"{t.Key} ({t.Status})")
            .ShouldBeEmpty("the assignment completed with these tasks pending");
        foreach (var spec in run.State.Stages.SelectMany(s => s.AllTasks()).Where(t => t.Required))
            run.State.Tasks.ShouldContain(t => t.Key == spec.Key && !t.Pending, $"the assignment completed without ever reaching {spec.Key}");
        run.Messages.OfType<AssignmentCompleted>().Count().ShouldBe(1, "the provider is told once that it completed");
    }

    [Fact]
    public void An_assignment_never_completes_while_a_required_task_is_open() =>
        WorkflowGen.Scenarios.Sample(scenario => AssignmentRun.Play(scenario, afterEachCommit: NeverCompletesWithATaskOpen),
            iter: Iterations, print: s => s.ToString());

    [Fact]
    public void Every_task_requested_of_the_client_is_closed_exactly_once_when_it_ends() =>
        WorkflowGen.Scenarios.Sample(scenario => ClosedExactlyOnce(AssignmentRun.Play(scenario)), iter: Iterations, print: s => s.ToString());

    /// <summary>Each task announced to the client once, and closed (once) exactly when it ended.</summary>
    private static void ClosedExactlyOnce(AssignmentRun run)
    {
        var requested = run.Messages.OfType<TaskRequested>().Select(t => t.TaskId).ToList();
        requested.ShouldBeUnique("a task was announced to the client twice");
        var closed = run.Messages.OfType<TaskClosed>().GroupBy(c => c.TaskId).ToDictionary(g => g.Key, g => g.Count());
        closed.Keys.Where(id => !requested.Contains(id)).Select(id => Key(run, id))
            .ShouldBeEmpty("closed without having been requested of the client");
        closed.Where(c => c.Value > 1).Select(c => Key(run, c.Key)).ShouldBeEmpty("closed more than once");
        foreach (var id in requested)
        {
            var task = run.State.Task(id).ShouldNotBeNull();
            var ended = run.State.IsTerminal || task.Status != AssignmentTaskStatus.Open;
            closed.ContainsKey(id).ShouldBe(ended,
                ended ? $"{task.Key} ended ({task.Status}, assignment {run.State.Status}) but the client's task was never closed"
                      : $"{task.Key} is still open but the client's task was closed");
        }
    }

    [Fact]
    public void Replaying_the_events_in_order_rebuilds_the_live_state() =>
        WorkflowGen.Scenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario);
            AssignmentRun.Json(run.Replay()).ShouldBe(AssignmentRun.Json(run.State));
        }, iter: Iterations, print: s => s.ToString());

    /// <summary>
    /// The generators reach what the properties are about: a property over scenarios that never finish, never skip by
    /// condition or never fire a timer would pass whatever the engine did.
    /// </summary>
    [Fact]
    public void The_random_scenarios_reach_every_path_of_the_engine()
    {
        var seen = new Dictionary<string, int>();
        void Count(string what, bool happened)
        {
            if (happened) seen[what] = seen.GetValueOrDefault(what) + 1;
        }

        WorkflowGen.Scenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario);
            Count("finished", run.State.Status == AssignmentStatus.Completed);
            Count("cancelled", run.State.Status == AssignmentStatus.Cancelled);
            Count("skipped by condition", run.Events.OfType<AssignmentTaskSkipped>().Any(e => e.ByCondition));
            Count("requested after a condition matched", run.Events.OfType<AssignmentTaskRequested>()
                .Any(r => scenario.Definition.AllTasks().First(t => t.Key == r.Key).Guard() is not null));
            Count("skipped by the provider", run.Events.OfType<AssignmentTaskSkipped>().Any(e => !e.ByCondition));
            Count("done before request", run.Events.OfType<AssignmentTaskCompleted>().Any(e => e.DoneBeforeRequest));
            Count("form answers kept", run.Events.OfType<AssignmentTaskCompleted>().Any(e => e.Answers is not null));
            Count("reminder by timer", run.Events.OfType<AssignmentReminderSent>().Any(e => !e.ByProvider));
            Count("second reminder", run.Events.OfType<AssignmentReminderSent>().Any(e => e.Number > 1 && !e.ByProvider));
            Count("overdue", run.Events.OfType<AssignmentTaskOverdue>().Any());
            Count("third stage reached", run.Events.OfType<AssignmentStageStarted>().Any(e => e.Stage >= 2));
            // Workflows v2: tracks, client attributes, optional tasks, dates, repeats.
            var specs = scenario.Definition.AllTasks().ToDictionary(t => t.Key);
            Count("a track closed by join any", run.Events.OfType<AssignmentTaskNotNeeded>().Any(e => e.Reason == AssignmentProcess.AnotherTrackFinished));
            Count("a second track task requested", run.Events.OfType<AssignmentTaskRequested>().Any(e => e.Key.Contains('k') && !e.Key.EndsWith("t1")));
            Count("requested after a client condition matched", run.Events.OfType<AssignmentTaskRequested>()
                .Any(r => specs[r.Key].Guard()?.Conditions.Any(c => c.Attribute is not null) == true));
            Count("skipped by a client condition", run.Events.OfType<AssignmentTaskSkipped>()
                .Any(e => e.ByCondition && specs[e.Key].Guard()!.Conditions.Any(c => c.Attribute is not null)));
            Count("optional left open at the end", run.Events.OfType<AssignmentTaskNotNeeded>().Any(e => e.Reason == AssignmentProcess.OptionalLeftOpen));
            Count("waited for the first session", run.Events.OfType<AssignmentTaskWaiting>().Any());
            Count("opened by its timer", run.Events.OfType<AssignmentTaskScheduled>()
                .Any(s => run.Events.OfType<AssignmentTaskRequested>().Any(r => r.Key == s.Key && r.At >= s.OpensAt)));
            Count("due moved by a date", run.Events.OfType<AssignmentTaskDueChanged>().Any());
            Count("repeated", run.Events.OfType<AssignmentTaskRequested>().GroupBy(r => r.Key).Any(g => g.Count() > 1));
            Count("finished after a repeat", run.State.Status == AssignmentStatus.Completed
                && run.Events.OfType<AssignmentTaskRequested>().GroupBy(r => r.Key).Any(g => g.Count() > 1));
        }, iter: 1000, threads: 1);

        string[] paths = ["finished", "cancelled", "skipped by condition", "requested after a condition matched",
            "skipped by the provider", "done before request", "form answers kept", "reminder by timer", "second reminder",
            "overdue", "third stage reached", "a track closed by join any", "a second track task requested",
            "requested after a client condition matched", "skipped by a client condition", "optional left open at the end",
            "waited for the first session", "opened by its timer", "due moved by a date", "repeated", "finished after a repeat"];
        var counts = string.Join(", ", paths.Select(p => $"{p} {seen.GetValueOrDefault(p)}"));
        // A repeat that runs out and lets its assignment finish is the rarest path (about 1 in 100): a lower bar.
        foreach (var path in paths)
            seen.GetValueOrDefault(path).ShouldBeGreaterThanOrEqualTo(path == "finished after a repeat" ? 3 : 10, $"of 1000 scenarios: {counts}");
    }

    /// <summary>The migration scenarios reach what the move property is about (done work, open tasks, added and dropped tasks).</summary>
    [Fact]
    public void The_random_migrations_reach_every_path_of_the_move()
    {
        var seen = new Dictionary<string, int>();
        void Count(string what, bool happened)
        {
            if (happened) seen[what] = seen.GetValueOrDefault(what) + 1;
        }

        WorkflowGen.MigrationScenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario);
            var moved = run.Events.OfType<AssignmentMigrated>().SingleOrDefault();
            Count("moved", moved is not null);
            if (moved is null) return;
            var after = run.Events.Skip(run.EventsBeforeMigration + 1).ToList();
            Count("completed work kept", moved.Tasks.Any(t => t.Outcome == MigratedTaskOutcome.StaysDone
                && run.BeforeMigration!.Tasks.Any(b => b.Key == t.Key && b.Status == AssignmentTaskStatus.Completed)));
            Count("open task kept", moved.Tasks.Any(t => t.Outcome == MigratedTaskOutcome.StaysOpen));
            Count("open task dropped", moved.Tasks.Any(t => t.Outcome == MigratedTaskOutcome.Dropped));
            Count("added task opened by the move", after.OfType<AssignmentTaskRequested>().Any(r => r.Key.EndsWith('a')));
            Count("new stage reached", after.OfType<AssignmentStageStarted>().Any(e => moved.Stages[e.Stage].Name.Length > 0
                && moved.Stages[e.Stage].AllTasks().Any(t => t.Key.StartsWith('n'))));
            Count("finished after the move", run.State.Status == AssignmentStatus.Completed);
        }, iter: 1000, threads: 1);

        string[] paths = ["moved", "completed work kept", "open task kept", "open task dropped", "added task opened by the move",
            "new stage reached", "finished after the move"];
        var counts = string.Join(", ", paths.Select(p => $"{p} {seen.GetValueOrDefault(p)}"));
        foreach (var path in paths)
            seen.GetValueOrDefault(path).ShouldBeGreaterThanOrEqualTo(10, $"of 1000 migration scenarios: {counts}");
    }

    private static string Key(AssignmentRun run, Guid taskId) => run.State.Task(taskId)?.Key ?? taskId.ToString();
}
