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

/// <summary>A condition on the client: which attribute (billing, minor, language), "is" or "is not", which of its values.</summary>
internal sealed record AttributeDraft(int Attribute, bool Not, int Value);

/// <summary>A "when" group: all or any of some conditions on earlier results and on the client.</summary>
internal sealed record GroupDraft(AllOrAny Match, ConditionDraft[] Conditions, AttributeDraft[] Attributes);

/// <summary>A day relative to the stage's start (no date) or to the first session.</summary>
internal sealed record AnchorDraft(bool FirstSession, int OffsetDays);

/// <summary>Every 1 or 2 weeks, a number of times and/or until discharge.</summary>
internal sealed record RepeatDraft(int EveryWeeks, int? Times, bool UntilDischarge);

/// <summary>A task before it gets its key and its condition's source (both depend on where it stands).</summary>
internal sealed record TaskDraft(
    TaskKind Kind, int Subject, int? DueInDays, int? RemindEveryDays, int MaxReminders, ConditionDraft? Condition)
{
    // Workflows v2: a "when" group instead of the single condition, optional tasks, open/due anchors, repeats.
    public GroupDraft? When { get; init; }
    public bool Required { get; init; } = true;
    public AnchorDraft? Opens { get; init; }
    public AnchorDraft? Due { get; init; }
    public RepeatDraft? Repeat { get; init; }
}

/// <summary>A stage: plain tasks opened together and tracks (each a sequence), joined when all or any one are done.</summary>
internal sealed record StageDraft(TaskDraft[] Plain, TaskDraft[][] Tracks, AllOrAny Join);

/// <summary>The client's attributes: billing (none, insurance, self-pay), birth (none, adult, minor, turns 18 soon), language.</summary>
internal sealed record ClientDraft(int Billing, int Birth, int Language, bool EasternZone)
{
    public override string ToString() =>
        $"billing {(Billing switch { 1 => "insurance", 2 => "selfPay", _ => "unknown" })}, " +
        $"born {(WorkflowGen.BirthDates[Birth] is { } born ? born.ToString("yyyy-MM-dd") : "unknown")}, " +
        $"language {WorkflowGen.Languages[Language]}, zone {(EasternZone ? "America/New_York" : "UTC")}";
}

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

/// <summary>The front desk sets (or moves) the first-session date to <see cref="DaysFromNow"/> days from now.</summary>
internal sealed record DateStep(int Hours, int DaysFromNow) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h first session set to {DaysFromNow} days from now";
}

/// <summary>The provider moves the running assignment to the scenario's next version (<see cref="Scenario.MigrateTo"/>).</summary>
internal sealed record MigrateStep(int Hours) : Step(Hours)
{
    public override string ToString() => $"+{Hours}h moved to the next version";
}

/// <summary>A definition, what the client did before it was assigned, and what happens after.</summary>
internal sealed record Scenario(WorkflowContent Definition, IReadOnlyList<FactDraft> Before, IReadOnlyList<Step> Steps)
{
    /// <summary>Who the client is (conditions on billing, minor, language read it).</summary>
    public ClientDraft Client { get; init; } = new(0, 0, 0, false);

    /// <summary>The first-session date given when assigning, in days from then; null: not known yet.</summary>
    public int? FirstSessionInDays { get; init; }

    /// <summary>The version a <see cref="MigrateStep"/> moves the assignment to.</summary>
    public WorkflowContent? MigrateTo { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine().Append(WorkflowGen.Describe(Definition));
        if (MigrateTo is not null) text.AppendLine("next version:").Append(WorkflowGen.Describe(MigrateTo));
        text.AppendLine($"client: {Client}");
        text.AppendLine($"first session: {(FirstSessionInDays is { } days ? $"in {days} days" : "not set when assigned")}");
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
    public static readonly string[] Attributes = ["billing", "minor", "language"];
    public static readonly string[] Languages = ["en", "es"];

    /// <summary>Unknown, an adult, a child, and one who turns 18 a week into the run (a "minor" condition changes answer).</summary>
    public static readonly DateOnly?[] BirthDates = [null, new DateOnly(1984, 6, 1), new DateOnly(2014, 2, 3), new DateOnly(2008, 3, 9)];

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

    public static readonly Gen<AttributeDraft> AttributeDrafts =
        Gen.Select(Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 1], (attribute, not, value) => new AttributeDraft(attribute, not, value));

    public static readonly Gen<GroupDraft> GroupDrafts =
        Gen.Select(Gen.Enum<AllOrAny>(), ConditionDrafts.Array[0, 2], AttributeDrafts.Array[0, 2],
            (match, conditions, attributes) => new GroupDraft(match, conditions, attributes));

    private static readonly Gen<AnchorDraft> OpensDrafts = Gen.Frequency(
        (1, Gen.Int[0, 3].Select(days => new AnchorDraft(false, days))),
        (2, Gen.Int[-7, 3].Select(days => new AnchorDraft(true, days))));

    private static readonly Gen<AnchorDraft> DueDrafts = Gen.Frequency(
        (1, Gen.Int[1, 10].Select(days => new AnchorDraft(false, days))),
        (2, Gen.Int[-3, 5].Select(days => new AnchorDraft(true, days))));

    private static readonly Gen<RepeatDraft> RepeatDrafts =
        Gen.Select(Gen.Int[1, 2], Gen.Int[2, 3].Nullable(0.3), Gen.Bool,
            (every, times, untilDischarge) => new RepeatDraft(every, times, times is null || untilDischarge));

    /// <summary>A v1 task (due in days, reminders, one condition), or in a third of them the v2 fields too.</summary>
    public static readonly Gen<TaskDraft> TaskDrafts =
        Gen.Select(Gen.Enum<TaskKind>(), Gen.Int[0, 1], Gen.Int[1, 10].Nullable(0.6), Gen.Int[1, 5].Nullable(0.5), Gen.Int[0, 3],
            ConditionDrafts.Null(0.5),
            (kind, subject, due, every, max, condition) =>
                new TaskDraft(kind, subject, due, every, every is null ? 0 : max, condition))
        .SelectMany(v1 => Gen.Frequency(
            (2, Gen.Const(v1)),
            (1, Gen.Select(GroupDrafts.Null(0.5), Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))),
                OpensDrafts.Null(0.5), DueDrafts.Null(0.6), RepeatDrafts.Null(0.75),
                (when, required, opens, due, repeat) => v1 with
                {
                    Condition = when is null ? v1.Condition : null,
                    When = when,
                    Required = required,
                    Opens = opens,
                    Due = due,
                    DueInDays = due is null ? v1.DueInDays : null,
                    Repeat = repeat,
                }))));

    /// <summary>A stage: plain tasks only (as v1), or tracks with or without plain tasks beside them.</summary>
    public static readonly Gen<StageDraft> StageDraftGen = Gen.Frequency(
        (3, TaskDrafts.Array[1, 4].Select(plain => new StageDraft(plain, [], AllOrAny.All))),
        (2, Gen.Select(TaskDrafts.Array[0, 2], TaskDrafts.Array[1, 3].Array[1, 3], Gen.Enum<AllOrAny>(),
            (plain, tracks, join) => new StageDraft(plain, tracks, join))));

    /// <summary>1 to 4 stages.</summary>
    public static readonly Gen<StageDraft[]> StageDrafts = StageDraftGen.Array[1, 4];

    /// <summary>Random definitions that the builder's validator accepts (a property checks that).</summary>
    public static readonly Gen<WorkflowContent> Definitions = StageDrafts.Select(stages => Build(stages));

    /// <summary>
    /// Keys "s1t2" (stage 1, task 2) and "s1k2t1" (stage 1, track 2, task 1); conditions test a form or assessment done
    /// before the task opens (an earlier stage, or earlier in its track), or are dropped.
    /// </summary>
    public static WorkflowContent Build(StageDraft[] stages, string keyPrefix = "s", IReadOnlyList<StageSpec>? before = null)
    {
        var result = new List<StageSpec>(before ?? []);
        foreach (var draft in stages)
        {
            var earlier = result.SelectMany(stage => stage.AllTasks()).Where(Testable).ToList();
            var number = result.Count + 1;
            var plain = draft.Plain.Select((task, i) => Task(task, $"{keyPrefix}{number}t{i + 1}", earlier)).ToList();
            var tracks = new List<TrackSpec>();
            for (var k = 0; k < draft.Tracks.Length; k++)
            {
                var inTrack = new List<TaskSpec>(earlier);
                var tasks = new List<TaskSpec>();
                for (var i = 0; i < draft.Tracks[k].Length; i++)
                {
                    var task = Task(draft.Tracks[k][i], $"{keyPrefix}{number}k{k + 1}t{i + 1}", inTrack);
                    tasks.Add(task);
                    if (Testable(task)) inTrack.Add(task);
                }
                tracks.Add(new TrackSpec($"Track {k + 1}", tasks));
            }

            result.Add(new StageSpec($"Stage {number}", plain)
            {
                Tracks = tracks.Count == 0 ? null : tracks,
                Join = draft.Join,
            });
        }
        return new WorkflowContent("Random intake", result);
    }

    private static bool Testable(TaskSpec task) => task.Kind is TaskKind.CompleteAssessment or TaskKind.CompleteIntakeForm;

    private static TaskSpec Task(TaskDraft draft, string key, IReadOnlyList<TaskSpec> earlier)
    {
        var due = draft.Due is { } d ? new DateAnchor(d.FirstSession ? "firstSession" : null, d.OffsetDays) : null;
        var opens = draft.Opens is { } o ? new DateAnchor(o.FirstSession ? "firstSession" : null, o.OffsetDays) : null;
        // The validator refuses a task due before it opens: a due without a date counts from the day the task opens
        // (never negative), one on the same date as the opening is not earlier than it.
        if (due is { Date: null, OffsetDays: < 0 }) due = due with { OffsetDays = -due.OffsetDays };
        if (opens is { Date: not null } && due is not null && opens.Date == due.Date && due.OffsetDays < opens.OffsetDays)
            due = due with { OffsetDays = opens.OffsetDays };
        return new TaskSpec(key, draft.Kind, Subject(draft.Kind, draft.Subject), null, draft.DueInDays, draft.RemindEveryDays,
            draft.MaxReminders, Condition(draft.Condition, earlier))
        {
            When = Group(draft.When, earlier),
            Required = draft.Required,
            Opens = opens,
            Due = due,
            Repeat = draft.Repeat is { } r ? new RepeatSpec(r.EveryWeeks, r.Times, r.UntilDischarge) : null,
        };
    }

    private static ConditionGroup? Group(GroupDraft? draft, IReadOnlyList<TaskSpec> earlier)
    {
        if (draft is null) return null;
        var conditions = draft.Conditions.Select(c => Condition(c, earlier)).OfType<TaskCondition>()
            .Concat(draft.Attributes.Select(Attribute)).ToList();
        return conditions.Count == 0 ? null : new ConditionGroup(draft.Match, conditions);
    }

    private static TaskCondition Attribute(AttributeDraft draft)
    {
        var attribute = Attributes[draft.Attribute];
        var value = attribute switch
        {
            "billing" => draft.Value == 0 ? "insurance" : "selfPay",
            "minor" => draft.Value == 0 ? "true" : "false",
            _ => Languages[draft.Value],
        };
        return new TaskCondition(null, null, draft.Not ? ConditionOperator.NotEquals : ConditionOperator.Equals, value)
        {
            Attribute = attribute,
        };
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
        (1, Gen.Select(Hours, Gen.Int[-5, 30], (h, days) => (Step)new DateStep(h, days))),
        (1, Hours.Select(h => (Step)new CancelStep(h))));

    public static readonly Gen<ClientDraft> Clients =
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 1], Gen.Bool, (billing, birth, language, eastern) =>
            new ClientDraft(billing, birth, language, eastern));

    private static readonly Gen<int?> FirstSessions = Gen.Int[-2, 21].Nullable(0.5);

    public static readonly Gen<Scenario> Scenarios =
        Gen.Select(Definitions, Facts.Array[0, 3], Steps.Array[0, 40], Clients, FirstSessions,
            (definition, before, steps, client, firstSession) =>
                new Scenario(definition, before, steps) { Client = client, FirstSessionInDays = firstSession });

    // -------------------------------------------------------------------------------------------------------------
    // Migration: a running version and the next one, tasks mapped by key.

    /// <summary>
    /// A version and its successor: some tasks of the first dropped (conditions on them with them; a track or stage left
    /// empty goes too), the others kept under the same key (timers possibly changed), a new task added to some kept
    /// stages ("s1a"), new stages with new keys ("n3t1") added at the end.
    /// </summary>
    public static readonly Gen<(WorkflowContent From, WorkflowContent To)> VersionPairs =
        Gen.Select(StageDrafts, Gen.Int[0, 3].Array[0, 30], TaskDrafts.Array[0, 4], StageDraftGen.Array[0, 2],
            (stages, keep, added, newStages) =>
            {
                var from = Build(stages);
                var dropped = new HashSet<string>();
                var index = 0;
                TaskSpec? Keep(TaskSpec task)
                {
                    // One in four dropped (0), one in four changed (1: due and reminders off), the rest as they were.
                    var roll = index < keep.Length ? keep[index] : 3;
                    index++;
                    if (roll == 0)
                    {
                        dropped.Add(task.Key);
                        return null;
                    }
                    return roll == 1 ? task with { DueInDays = null, Due = null, RemindEveryDays = null, MaxReminders = 0 } : task;
                }

                var kept = new List<StageSpec>();
                foreach (var stage in from.Stages)
                {
                    var plain = stage.Tasks.Select(Keep).OfType<TaskSpec>().ToList();
                    var tracks = (stage.Tracks ?? []).Select(t => t with { Tasks = [.. t.Tasks.Select(Keep).OfType<TaskSpec>()] })
                        .Where(t => t.Tasks.Count > 0).ToList();
                    if (plain.Count + tracks.Count == 0) continue;
                    var number = kept.Count;
                    // A task the new version adds to a stage the assignment may already be past (it opens on the move).
                    if (number < added.Length)
                        plain.Add(Task(added[number] with { Condition = null, When = null }, $"s{stage.Name[6..]}a", []));
                    kept.Add(stage with { Tasks = plain, Tracks = tracks.Count == 0 ? null : tracks });
                }

                kept = [.. kept.Select(stage => stage with
                {
                    Tasks = [.. stage.Tasks.Select(t => WithoutDropped(t, dropped))],
                    Tracks = stage.Tracks?.Select(k => k with { Tasks = [.. k.Tasks.Select(t => WithoutDropped(t, dropped))] }).ToList(),
                })];
                var to = Build(newStages, "n", kept);
                if (to.Stages.Count == 0) to = from;
                return (from, to with { Name = from.Name });
            });

    /// <summary>A kept task without the conditions that tested a task the new version dropped.</summary>
    private static TaskSpec WithoutDropped(TaskSpec task, HashSet<string> dropped)
    {
        if (task.Condition is { TaskKey: { } source } && dropped.Contains(source)) task = task with { Condition = null };
        if (task.When is { } when)
        {
            var conditions = when.Conditions.Where(c => c.TaskKey is null || !dropped.Contains(c.TaskKey)).ToList();
            task = task with { When = conditions.Count == 0 ? null : when with { Conditions = conditions } };
        }
        return task;
    }

    /// <summary>A scenario with one move to the next version somewhere among its steps.</summary>
    public static readonly Gen<Scenario> MigrationScenarios =
        Gen.Select(VersionPairs, Facts.Array[0, 3], Steps.Array[0, 25], Steps.Array[0, 20], Clients, FirstSessions,
            (pair, before, first, then, client, firstSession) =>
                new Scenario(pair.From, before, [.. first, new MigrateStep(0), .. then])
                {
                    Client = client, FirstSessionInDays = firstSession, MigrateTo = pair.To,
                });

    // -------------------------------------------------------------------------------------------------------------

    /// <summary>A definition in a provider's words, one line a task, for counterexamples.</summary>
    public static string Describe(WorkflowContent content)
    {
        var text = new StringBuilder();
        foreach (var stage in content.Stages)
        {
            text.AppendLine($"{stage.Name}:{(stage.Tracks is { Count: > 0 } ? $" (tracks join {stage.Join})" : "")}");
            foreach (var task in stage.Tasks) Describe(text, task, "  ");
            foreach (var track in stage.Tracks ?? [])
            {
                text.AppendLine($"  {track.Name}:");
                foreach (var task in track.Tasks) Describe(text, task, "    ");
            }
        }
        return text.ToString();
    }

    private static void Describe(StringBuilder text, TaskSpec task, string indent)
    {
        text.Append($"{indent}{task.Key}: {task.Kind}");
        if (task.SubjectId is { } subject) text.Append($" {Short(subject)}");
        if (!task.Required) text.Append(", optional");
        if (task.Opens is { } opens) text.Append($", opens {Anchor(opens)}");
        if (task.DueInDays is { } due) text.Append($", due in {due}d");
        if (task.Due is { } dueAt) text.Append($", due {Anchor(dueAt)}");
        if (task.Repeat is { } repeat)
            text.Append($", repeats every {repeat.EveryWeeks}w{(repeat.Times is { } times ? $" ×{times}" : "")}{(repeat.UntilDischarge ? " until discharge" : "")}");
        if (task.RemindEveryDays is { } every && task.MaxReminders > 0) text.Append($", remind every {every}d ×{task.MaxReminders}");
        if (task.Guard() is { } guard)
            text.Append($", only when {string.Join(guard.Match == AllOrAny.All ? " and " : " or ", guard.Conditions.Select(Condition))}");
        text.AppendLine();
    }

    private static string Anchor(DateAnchor anchor) =>
        $"{anchor.OffsetDays:+0;-0;0}d from {(anchor.Date ?? "stage start")}";

    private static string Condition(TaskCondition c) => c.Attribute is { } attribute
        ? $"client {attribute} {ConditionWords.Words(c.Operator)} {c.Value}"
        : $"{c.TaskKey} {ConditionWords.Field(c)} {ConditionWords.Words(c.Operator)} {c.Value}";
}
