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
        WorkflowGen.Scenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario);
            var completedKeys = new HashSet<string>();
            var closedTasks = new HashSet<Guid>();
            foreach (var e in run.Events)
            {
                switch (e)
                {
                    case AssignmentTaskRequested requested:
                        completedKeys.ShouldNotContain(requested.Key, $"{requested.Key} was requested again after it was done");
                        break;
                    case AssignmentTaskCompleted completed:
                        closedTasks.Add(completed.TaskId).ShouldBeTrue($"task {Key(run, completed.TaskId)} was completed or skipped twice");
                        completedKeys.Add(Key(run, completed.TaskId));
                        break;
                    case AssignmentTaskSkipped { TaskId: { } skipped }:
                        closedTasks.Add(skipped).ShouldBeTrue($"task {Key(run, skipped)} was completed or skipped twice");
                        break;
                }
            }
        }, iter: Iterations, print: s => s.ToString());

    [Fact]
    public void An_assignment_never_completes_while_a_required_task_is_open() =>
        WorkflowGen.Scenarios.Sample(scenario =>
        {
            AssignmentRun.Play(scenario, afterEachCommit: run =>
            {
                if (run.State.Status != AssignmentStatus.Completed) return;
                run.State.OpenTasks.Select(t => t.Key).ShouldBeEmpty("the assignment completed with these tasks open");
                foreach (var spec in scenario.Definition.AllTasks().Where(t => t.Required))
                    run.State.Tasks.ShouldContain(t => t.Key == spec.Key && t.Status != AssignmentTaskStatus.Open,
                        $"the assignment completed without ever reaching {spec.Key}");
                run.Messages.OfType<AssignmentCompleted>().Count().ShouldBe(1, "the provider is told once that it completed");
            });
        }, iter: Iterations, print: s => s.ToString());

    [Fact]
    public void Every_task_requested_of_the_client_is_closed_exactly_once_when_it_ends() =>
        WorkflowGen.Scenarios.Sample(scenario =>
        {
            var run = AssignmentRun.Play(scenario);
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
        }, iter: Iterations, print: s => s.ToString());

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
                .Any(r => scenario.Definition.AllTasks().First(t => t.Key == r.Key).Condition is not null));
            Count("skipped by the provider", run.Events.OfType<AssignmentTaskSkipped>().Any(e => !e.ByCondition));
            Count("done before request", run.Events.OfType<AssignmentTaskCompleted>().Any(e => e.DoneBeforeRequest));
            Count("form answers kept", run.Events.OfType<AssignmentTaskCompleted>().Any(e => e.Answers is not null));
            Count("reminder by timer", run.Events.OfType<AssignmentReminderSent>().Any(e => !e.ByProvider));
            Count("second reminder", run.Events.OfType<AssignmentReminderSent>().Any(e => e.Number > 1 && !e.ByProvider));
            Count("overdue", run.Events.OfType<AssignmentTaskOverdue>().Any());
            Count("third stage reached", run.Events.OfType<AssignmentStageStarted>().Any(e => e.Stage >= 2));
        }, iter: 1000, threads: 1);

        string[] paths = ["finished", "cancelled", "skipped by condition", "requested after a condition matched",
            "skipped by the provider", "done before request", "form answers kept", "reminder by timer", "second reminder",
            "overdue", "third stage reached"];
        var counts = string.Join(", ", paths.Select(p => $"{p} {seen.GetValueOrDefault(p)}"));
        foreach (var path in paths)
            seen.GetValueOrDefault(path).ShouldBeGreaterThanOrEqualTo(10, $"of 1000 scenarios: {counts}");
    }

    private static string Key(AssignmentRun run, Guid taskId) => run.State.Task(taskId)?.Key ?? taskId.ToString();
}
