using System.Text;
using CsCheck;
using Portal.Intake.Definitions;

namespace Portal.Tests.Intake.Properties;

// Random workflow definitions and random lives of an assignment (client facts, provider actions, timers), for the
// property tests of the engine. Every generator of workflows v2 lives here: the tracks, dates and migration features
// extend TaskDrafts/StageDrafts/Steps below (new fields, new step kinds), and the properties pick them up.
// Everything is built from small drafts of plain numbers, so CsCheck shrinks a failure to a short definition and a
// short list of steps, printed by Scenario.ToString().

/// <summary>A condition before it is tied to an earlier task: which source (modulo the candidates), field, operator, value.</summary>
internal sealed record ConditionDraft(int Source, int Field, ConditionOperator Operator, int Value);

/// <summary>A task before it gets its key and its condition's source (both depend on where it stands).</summary>
internal sealed record TaskDraft(
    TaskKind Kind, int Subject, int? DueInDays, int? RemindEveryDays, int MaxReminders, ConditionDraft? Condition);

/// <summary>Something the client did (a fact), <see cref="DaysAgo"/> before the moment it is recorded (late facts).</summary>
internal sealed record FactDraft(TaskKind Kind, int Subject, int Score, int Severity, bool WithAnswers, int Mood, int Insured, int DaysAgo)
{
    public override string ToString()
    {
        var text = new StringBuilder($"{Kind}");
        if (WorkflowGen.Subject(Kind, Subject) is { } subject) text.Append($" {WorkflowGen.Short(subject)}");
        if (Kind == TaskKind.CompleteAssessment) text.Append($" score {Score} ({WorkflowGen.Severities[Severity]})");
        if (Kind == TaskKind.CompleteIntakeForm)
            text.Append(WithAnswers ? $" answers mood={WorkflowGen.AnswerValues[Mood]}, has_insurance={WorkflowGen.AnswerValues[Insured]}" : " (no answers)");
        if (DaysAgo > 0) text.Append($", done {DaysAgo} days ago");
        return text.ToString();
    }
}

/// <summary>One thing that happens to a running assignment, after <see cref="Hours"/> hours.</summary>
internal abstract record Step(int Hours);

/// <summary>The client did something (CompleteMatchingTasks).</summary>
internal sealed record FactStep(int Hours, FactDraft Fact) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h fact: {Fact}";
}

/// <summary>The last fact is delivered again (at-least-once delivery).</summary>
internal sealed record DuplicateStep(int Hours) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h the last fact again";
}

/// <summary>The provider skips an open task (the <see cref="Pick"/>-th, modulo the open ones).</summary>
internal sealed record SkipStep(int Hours, int Pick) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h provider skips open task #{Pick}";
}

/// <summary>The provider resends an open task.</summary>
internal sealed record ResendStep(int Hours, int Pick) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h provider resends open task #{Pick}";
}

/// <summary>
/// An armed timer (reminder or overdue mark, the <see cref="Pick"/>-th modulo the armed ones) is delivered; with
/// <see cref="AgainLater"/> it stays armed and can be delivered a second time (a redelivery after a crash).
/// </summary>
internal sealed record TimerStep(int Hours, int Pick, bool AgainLater) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h timer #{Pick} fires{(AgainLater ? " (and will again)" : "")}";
}

/// <summary>The provider cancels the assignment (or the client is discharged).</summary>
internal sealed record CancelStep(int Hours) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h assignment cancelled";
}

/// <summary>A definition, what the client did before it was assigned, and what happens after.</summary>
internal sealed record Scenario(WorkflowContent Definition, IReadOnlyList<FactDraft> Before, IReadOnlyList<Step> Steps)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine().Append(WorkflowGen.Describe(Definition));
        text.AppendLine("before the assignment:" + (Before.Count == 0 ? " nothing" : ""));
        foreach (var fact in Before) text.AppendLine($"  {fact}");
        text.AppendLine("then:" + (Steps.Count == 0 ? " nothing" : ""));
        foreach (var step in Steps) text.AppendLine($"  {step}");
        return text.ToString();
    }
}

internal static class WorkflowGen
{
    public static readonly string[] Documents = ["7d3e1f0a-0000-4000-8000-00000000d0c1", "7d3e1f0a-0000-4000-8000-00000000d0c2"];
    public static readonly string[] Forms = ["7d3e1f0a-0000-4000-8000-00000000f0a1", "7d3e1f0a-0000-4000-8000-00000000f0a2"];
    public static readonly string[] Instruments = ["phq9", "gad7"];
    public static readonly string[] FormFields = ["mood", "has_insurance"];
    public static readonly string[] AnswerValues = ["yes", "no", "3", "5", "7"];
    public static readonly string[] Numbers = ["0", "5", "10", "15", "20"];
    public static readonly IReadOnlyList<string> Severities = ConditionWords.SeverityBands;

    public static string? Subject(TaskKind kind, int pick) => kind switch
    {
        TaskKind.SignDocument => Documents[pick % Documents.Length],
        TaskKind.CompleteIntakeForm => Forms[pick % Forms.Length],
        TaskKind.CompleteAssessment => Instruments[pick % Instruments.Length],
        _ => null,
    };

    /// <summary>"doc1", "form2", "phq9": the subjects as a person reads a counterexample.</summary>
    public static string Short(string subject) =>
        Array.IndexOf(Documents, subject) is var d and >= 0 ? $"doc{d + 1}"
        : Array.IndexOf(Forms, subject) is var f and >= 0 ? $"form{f + 1}"
        : subject;

    // -------------------------------------------------------------------------------------------------------------
    // Definitions

    public static readonly Gen<ConditionDraft> ConditionDrafts =
        Gen.Select(Gen.Int[0, 7], Gen.Int[0, 2], Gen.Enum<ConditionOperator>(), Gen.Int[0, 4],
            (source, field, op, value) => new ConditionDraft(source, field, op, value));

    public static readonly Gen<TaskDraft> TaskDrafts =
        Gen.Select(Gen.Enum<TaskKind>(), Gen.Int[0, 1], Gen.Int[1, 10].Nullable(0.6), Gen.Int[1, 5].Nullable(0.5), Gen.Int[0, 3],
            ConditionDrafts.Null(0.5),
            (kind, subject, due, every, max, condition) =>
                new TaskDraft(kind, subject, due, every, every is null ? 0 : max, condition));

    /// <summary>1 to 4 stages of 1 to 4 tasks.</summary>
    public static readonly Gen<TaskDraft[][]> StageDrafts = TaskDrafts.Array[1, 4].Array[1, 4];

    /// <summary>Random definitions that the builder's validator accepts (a property checks that).</summary>
    public static readonly Gen<WorkflowContent> Definitions = StageDrafts.Select(stages => Build(stages));

    /// <summary>Keys "s1t2" (stage 1, task 2); conditions test a form or assessment of an earlier stage, or are dropped.</summary>
    public static WorkflowContent Build(TaskDraft[][] stages, string keyPrefix = "s", IReadOnlyList<StageSpec>? before = null)
    {
        var result = new List<StageSpec>(before ?? []);
        for (var s = 0; s < stages.Length; s++)
        {
            var earlier = result.SelectMany(stage => stage.AllTasks())
                .Where(t => t.Kind is TaskKind.CompleteAssessment or TaskKind.CompleteIntakeForm).ToList();
            var number = result.Count + 1;
            var tasks = stages[s].Select((draft, i) => new TaskSpec(
                $"{keyPrefix}{number}t{i + 1}", draft.Kind, Subject(draft.Kind, draft.Subject), null, draft.DueInDays,
                draft.RemindEveryDays, draft.MaxReminders, Condition(draft.Condition, earlier))).ToList();
            result.Add(new StageSpec($"Stage {number}", tasks));
        }
        return new WorkflowContent("Random intake", result);
    }

    private static TaskCondition? Condition(ConditionDraft? draft, IReadOnlyList<TaskSpec> earlier)
    {
        if (draft is null || earlier.Count == 0) return null;
        var source = earlier[draft.Source % earlier.Count];
        if (source.Kind == TaskKind.CompleteIntakeForm)
        {
            var numeric = draft.Operator is ConditionOperator.AtLeast or ConditionOperator.AtMost;
            return new TaskCondition(source.Key, FormFields[draft.Field % FormFields.Length], draft.Operator,
                numeric ? Numbers[draft.Value] : AnswerValues[draft.Value]);
        }

        return (draft.Field % 3) switch
        {
            0 => new TaskCondition(source.Key, null, draft.Operator, Numbers[draft.Value]),
            1 => new TaskCondition(source.Key, "score", draft.Operator, Numbers[draft.Value]),
            _ => new TaskCondition(source.Key, "severity",
                draft.Operator is ConditionOperator.Equals or ConditionOperator.AtLeast ? ConditionOperator.Equals : ConditionOperator.NotEquals,
                Severities[draft.Value % Severities.Count]),
        };
    }

    // -------------------------------------------------------------------------------------------------------------
    // What happens to an assignment

    public static readonly Gen<FactDraft> Facts =
        Gen.Select(Gen.Enum<TaskKind>(), Gen.Int[0, 1], Gen.Int[0, 27], Gen.Int[0, 4], Gen.Bool, Gen.Int[0, 4], Gen.Int[0, 4],
            Gen.Frequency((4, Gen.Const(0)), (1, Gen.Int[1, 30])),
            (kind, subject, score, severity, answers, mood, insured, daysAgo) =>
                new FactDraft(kind, subject, score, severity, answers, mood, insured, daysAgo));

    private static readonly Gen<int> Hours = Gen.Frequency((3, Gen.Int[0, 2]), (2, Gen.Int[3, 48]), (1, Gen.Int[49, 24 * 20]));

    public static readonly Gen<Step> Steps = Gen.Frequency(
        (8, Gen.Select(Hours, Facts, (h, f) => (Step)new FactStep(h, f))),
        (1, Hours.Select(h => (Step)new DuplicateStep(h))),
        (2, Gen.Select(Hours, Gen.Int[0, 7], (h, p) => (Step)new SkipStep(h, p))),
        (1, Gen.Select(Hours, Gen.Int[0, 7], (h, p) => (Step)new ResendStep(h, p))),
        (5, Gen.Select(Hours, Gen.Int[0, 15], Gen.Bool, (h, p, again) => (Step)new TimerStep(h, p, again))),
        (1, Hours.Select(h => (Step)new CancelStep(h))));

    public static readonly Gen<Scenario> Scenarios =
        Gen.Select(Definitions, Facts.Array[0, 3], Steps.Array[0, 40],
            (definition, before, steps) => new Scenario(definition, before, steps));

    // -------------------------------------------------------------------------------------------------------------
    // Migration (hook): a running version and the next one, tasks mapped by key. The property "migrating never loses
    // completed work" is written against the migrate feature's shapes once they land; the pair is ready for it.

    /// <summary>
    /// A version and its successor: some tasks of the first dropped (and conditions on them with them), the others
    /// kept under the same key (kind, subject, timers possibly changed), new stages with new keys ("n1t1") added.
    /// </summary>
    public static readonly Gen<(WorkflowContent From, WorkflowContent To)> VersionPairs =
        Gen.Select(StageDrafts, Gen.Int[0, 3].Array[0, 20], TaskDrafts.Array[1, 3].Array[0, 2],
            (stages, keep, added) =>
            {
                var from = Build(stages);
                var kept = new List<StageSpec>();
                var dropped = new HashSet<string>();
                var index = 0;
                foreach (var stage in from.Stages)
                {
                    var tasks = new List<TaskSpec>();
                    foreach (var task in stage.Tasks)
                    {
                        // One in four dropped (0), one in four changed (1: due and reminders off), the rest as they were.
                        var roll = index < keep.Length ? keep[index] : 3;
                        index++;
                        if (roll == 0) dropped.Add(task.Key);
                        else tasks.Add(roll == 1 ? task with { DueInDays = null, RemindEveryDays = null, MaxReminders = 0 } : task);
                    }
                    if (tasks.Count > 0) kept.Add(stage with { Tasks = tasks });
                }

                kept = [.. kept.Select(stage => stage with
                {
                    Tasks = [.. stage.Tasks.Select(t => t.Condition is { TaskKey: { } source } && dropped.Contains(source) ? t with { Condition = null } : t)],
                })];
                var to = Build(added, "n", kept);
                if (to.Stages.Count == 0) to = from;
                return (from, to with { Name = from.Name });
            });

    // -------------------------------------------------------------------------------------------------------------

    /// <summary>A definition in a provider's words, one line a task, for counterexamples.</summary>
    public static string Describe(WorkflowContent content)
    {
        var text = new StringBuilder();
        foreach (var stage in content.Stages)
        {
            text.AppendLine($"{stage.Name}:");
            foreach (var task in stage.AllTasks())
            {
                text.Append($"  {task.Key}: {task.Kind}");
                if (task.SubjectId is { } subject) text.Append($" {Short(subject)}");
                if (task.DueInDays is { } due) text.Append($", due in {due}d");
                if (task.RemindEveryDays is { } every && task.MaxReminders > 0) text.Append($", remind every {every}d ×{task.MaxReminders}");
                if (task.Condition is { } c)
                    text.Append($", only when {c.TaskKey} {ConditionWords.Field(c)} {ConditionWords.Words(c.Operator)} {c.Value}");
                text.AppendLine();
            }
        }
        return text.ToString();
    }
}
