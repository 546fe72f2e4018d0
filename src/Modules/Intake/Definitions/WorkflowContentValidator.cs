using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Contracts;

namespace Portal.Intake.Definitions;

/// <summary>
/// The shape of a workflow definition: what can be checked without the database. Whether a document, form or
/// instrument exists is checked by <see cref="IWorkflowSubjects"/> against what the intake content module published.
/// </summary>
internal sealed partial class WorkflowContentValidator : AbstractValidator<WorkflowContent>
{
    public const int MaxStages = 20;
    public const int MaxTasksPerStage = 20;
    public const int MaxConditionValueLength = 500, MaxConditionFieldLength = 50;
    public const int MaxTracksPerStage = 10, MaxConditionsPerGroup = 10;

    public WorkflowContentValidator()
    {
        RuleFor(c => c.Name).NotEmpty().WithMessage("Give the workflow a name.").MaximumLength(120);
        RuleFor(c => c.Stages).NotEmpty().WithMessage("A workflow needs at least one stage.")
            .Must(s => s is null || s.Count <= MaxStages).WithMessage($"A workflow has at most {MaxStages} stages.");
        RuleFor(c => c.Format).Must(f => f is null || WorkflowContent.ReadableFormats.Contains(f))
            .WithMessage($"Not a workflow export: the format must be '{WorkflowContent.ExportFormat}' " +
                         $"or '{WorkflowContent.ExportFormatV1}'.");
        RuleFor(c => c).Custom(CheckStages);
        // Triggers (Triggers/WorkflowTriggers.cs): each at most once.
        RuleFor(c => c.Triggers).Must(t => t is null || (t.All(Enum.IsDefined) && t.Distinct().Count() == t.Count))
            .WithMessage("Name each trigger once: clientAdded, clientEligible or billingBecameInsurance.");
    }

    private static void CheckStages(WorkflowContent content, ValidationContext<WorkflowContent> context)
    {
        if (content.Stages is null) return;
        var earlier = new Dictionary<string, TaskSpec>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < content.Stages.Count; s++)
        {
            var stage = content.Stages[s];
            var stagePath = $"Stages[{s}]";
            if (stage is null)
            {
                context.AddFailure(stagePath, "A stage cannot be empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(stage.Name)) context.AddFailure($"{stagePath}.Name", "Give the stage a name.");
            else if (stage.Name.Length > 120) context.AddFailure($"{stagePath}.Name", "A stage name has at most 120 characters.");
            var plain = stage.Tasks ?? [];
            var tracks = stage.Tracks ?? [];
            if (plain.Count == 0 && tracks.Count == 0)
            {
                context.AddFailure($"{stagePath}.Tasks", $"Stage {s + 1} is empty: a stage needs at least one task.");
                continue;
            }

            if (stage.AllTasks().Count() > MaxTasksPerStage)
                context.AddFailure($"{stagePath}.Tasks", $"A stage has at most {MaxTasksPerStage} tasks, its tracks' included.");
            if (tracks.Count > MaxTracksPerStage)
                context.AddFailure($"{stagePath}.Tracks", $"A stage has at most {MaxTracksPerStage} tracks.");
            if (!Enum.IsDefined(stage.Join)) context.AddFailure($"{stagePath}.Join", "Join is 'All' or 'Any'.");

            // A stage's plain tasks and its tracks' first tasks open together: they read earlier stages only.
            CheckTasks(plain, $"{stagePath}.Tasks", earlier, seen, context);
            for (var k = 0; k < tracks.Count; k++)
            {
                var trackPath = $"{stagePath}.Tracks[{k}]";
                if (tracks[k] is not { } track)
                {
                    context.AddFailure(trackPath, "A track cannot be empty.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(track.Name)) context.AddFailure($"{trackPath}.Name", "Give the track a name.");
                else if (track.Name.Length > 120) context.AddFailure($"{trackPath}.Name", "A track name has at most 120 characters.");
                if (track.Tasks is null || track.Tasks.Count == 0)
                {
                    context.AddFailure($"{trackPath}.Tasks", $"Track {k + 1} of stage {s + 1} is empty: a track needs at least one task.");
                    continue;
                }

                // Within a track a task opens after the ones before it are done, so it may read them too.
                var inTrack = new Dictionary<string, TaskSpec>(earlier, StringComparer.Ordinal);
                for (var t = 0; t < track.Tasks.Count; t++)
                {
                    CheckTasks([track.Tasks[t]], $"{trackPath}.Tasks", inTrack, seen, context, t);
                    if (track.Tasks[t] is { Key.Length: > 0 } done) inTrack.TryAdd(done.Key, done);
                }
            }

            foreach (var task in stage.AllTasks().Where(t => t is not null && !string.IsNullOrEmpty(t.Key)))
                earlier.TryAdd(task.Key, task);
        }
    }

    private static void CheckTasks(IReadOnlyList<TaskSpec> tasks, string listPath, Dictionary<string, TaskSpec> earlier,
        HashSet<string> seen, ValidationContext<WorkflowContent> context, int firstIndex = 0)
    {
        for (var t = 0; t < tasks.Count; t++)
        {
            var path = $"{listPath}[{firstIndex + t}]";
            if (tasks[t] is not { } task)
            {
                context.AddFailure(path, "A task cannot be empty.");
                continue;
            }

            CheckTask(task, path, earlier, seen, context);
        }
    }

    private static void CheckTask(TaskSpec task, string path, Dictionary<string, TaskSpec> earlier, HashSet<string> seen,
        ValidationContext<WorkflowContent> context)
    {
        if (string.IsNullOrWhiteSpace(task.Key) || !KeyPattern().IsMatch(task.Key))
            context.AddFailure($"{path}.Key", "A task key is 1 to 40 lower-case letters, digits, '-' or '_'.");
        else if (!seen.Add(task.Key))
            context.AddFailure($"{path}.Key", $"The task key '{task.Key}' is used twice; task keys must be unique.");

        if (!Enum.IsDefined(task.Kind)) context.AddFailure($"{path}.Kind", "Unknown task kind.");
        if (task.Title is { Length: > 160 }) context.AddFailure($"{path}.Title", "A task title has at most 160 characters.");

        switch (task.Kind)
        {
            case TaskKind.AddInsurance or TaskKind.EnrollInAutopay when !string.IsNullOrEmpty(task.SubjectId):
                context.AddFailure($"{path}.SubjectId", "This kind of task is not about a document, form or assessment: leave the subject empty.");
                break;
            case TaskKind.SignDocument or TaskKind.CompleteIntakeForm when !Guid.TryParse(task.SubjectId, out _):
                context.AddFailure($"{path}.SubjectId", task.Kind == TaskKind.SignDocument
                    ? "Choose the document to sign (its id)."
                    : "Choose the intake form to complete (its id).");
                break;
            case TaskKind.CompleteAssessment when string.IsNullOrWhiteSpace(task.SubjectId) || !InstrumentPattern().IsMatch(task.SubjectId):
                context.AddFailure($"{path}.SubjectId", "Choose the assessment to complete (an instrument code such as 'phq9').");
                break;
        }

        if (task.DueInDays is < 1 or > 365) context.AddFailure($"{path}.DueInDays", "Due in 1 to 365 days, or leave it empty.");
        if (task.RemindEveryDays is < 1 or > 90) context.AddFailure($"{path}.RemindEveryDays", "Remind every 1 to 90 days, or leave it empty.");
        if (task.MaxReminders is < 0 or > 10) context.AddFailure($"{path}.MaxReminders", "At most 10 reminders.");
        if (task.MaxReminders > 0 && task.RemindEveryDays is null)
            context.AddFailure($"{path}.RemindEveryDays", "Say how often to remind (every N days).");

        if (task.Condition is { } condition) CheckCondition(condition, $"{path}.Condition", earlier, context);
        if (task.When is { } when)
        {
            if (task.Condition is not null)
                context.AddFailure($"{path}.When", "Give the conditions in 'when' only (the single 'condition' is the old form).");
            CheckGroup(when, $"{path}.When", earlier, context, nested: false);
        }
        CheckDates(task, path, context);
    }

    private static void CheckGroup(ConditionGroup group, string path, Dictionary<string, TaskSpec> earlier,
        ValidationContext<WorkflowContent> context, bool nested)
    {
        if (!Enum.IsDefined(group.Match)) context.AddFailure($"{path}.Match", "Match is 'All' or 'Any'.");
        var conditions = group.Conditions ?? [];
        var groups = group.Groups ?? [];
        if (conditions.Count + groups.Count == 0)
            context.AddFailure($"{path}.Conditions", "Give at least one condition, or remove the group.");
        if (conditions.Count + groups.Count > MaxConditionsPerGroup)
            context.AddFailure($"{path}.Conditions", $"A group has at most {MaxConditionsPerGroup} conditions and groups.");
        if (nested && groups.Count > 0)
            context.AddFailure($"{path}.Groups", "Groups nest one level deep: a group inside a group has no groups.");
        for (var c = 0; c < conditions.Count; c++)
        {
            if (conditions[c] is { } condition) CheckCondition(condition, $"{path}.Conditions[{c}]", earlier, context);
            else context.AddFailure($"{path}.Conditions[{c}]", "A condition cannot be empty.");
        }

        if (nested) return;
        for (var g = 0; g < groups.Count; g++)
        {
            if (groups[g] is { } inner) CheckGroup(inner, $"{path}.Groups[{g}]", earlier, context, nested: true);
            else context.AddFailure($"{path}.Groups[{g}]", "A group cannot be empty.");
        }
    }

    /// <summary>A condition on the client: a known attribute, compared with 'is' or 'is not' to one of its values.</summary>
    private static void CheckAttribute(TaskCondition condition, string path, ValidationContext<WorkflowContent> context)
    {
        if (!ClientAttributeNames.Values.TryGetValue(condition.Attribute!, out var values))
        {
            context.AddFailure($"{path}.Attribute",
                $"A condition reads one of the client's: {string.Join(", ", ClientAttributeNames.Values.Keys)}.");
            return;
        }

        if (!string.IsNullOrEmpty(condition.TaskKey) || !string.IsNullOrEmpty(condition.Field))
            context.AddFailure($"{path}.TaskKey", "A condition reads either an earlier task or the client, not both.");
        if (condition.Operator is not (ConditionOperator.Equals or ConditionOperator.NotEquals))
            context.AddFailure($"{path}.Operator", "The client's attributes are compared with 'is' or 'is not'.");
        if (ClientAttributeNames.Known(condition.Attribute!, condition.Value) is null)
            context.AddFailure($"{path}.Value", $"The client's {condition.Attribute} is one of: {string.Join(", ", values)}.");
    }

    // Workflows v2, dates and recurrence (#30 items 1, 3).
    private static void CheckDates(TaskSpec task, string path, ValidationContext<WorkflowContent> context)
    {
        CheckAnchor(task.Opens, $"{path}.Opens", context);
        CheckAnchor(task.Due, $"{path}.Due", context);
        if (task.Due is not null && task.DueInDays is not null)
            context.AddFailure($"{path}.Due", "Give the due date once: either 'due' or 'due in days'.");
        // A due without a date counts from the day the task opens (TaskDates.Plan); one with a date, from that date.
        if (task.Due is { Date: null, OffsetDays: < 0 })
            context.AddFailure($"{path}.Due", "The task would be due before it opens: count the days after it opens.");
        else if (task.Opens is { Date: { } date } opens && task.Due is { } due && due.Date == date && due.OffsetDays < opens.OffsetDays)
            context.AddFailure($"{path}.Due", "The task would be due before it opens.");
        if (task.Repeat is not { } repeat) return;
        if (repeat.EveryWeeks is < 1 or > 52) context.AddFailure($"{path}.Repeat.EveryWeeks", "Repeat every 1 to 52 weeks.");
        if (repeat.Times is < 2 or > 100) context.AddFailure($"{path}.Repeat.Times", "Repeat 2 to 100 times, or leave it empty.");
        if (repeat.Times is null && !repeat.UntilDischarge)
            context.AddFailure($"{path}.Repeat", "Say when the repeat ends: a number of times, until discharge, or both.");
    }

    private static void CheckAnchor(DateAnchor? anchor, string path, ValidationContext<WorkflowContent> context)
    {
        if (anchor is null) return;
        if (anchor.Date is not null && !Engine.TaskDates.NamePattern().IsMatch(anchor.Date))
            context.AddFailure($"{path}.Date", "Name a date such as 'firstSession' (one camel-case word), or leave it empty for the stage's start.");
        if (Math.Abs(anchor.OffsetDays) > Engine.TaskDates.MaxOffsetDays)
            context.AddFailure($"{path}.OffsetDays", $"At most {Engine.TaskDates.MaxOffsetDays} days before or after.");
    }

    private static void CheckCondition(TaskCondition condition, string path, Dictionary<string, TaskSpec> earlier,
        ValidationContext<WorkflowContent> context)
    {
        if (condition.Attribute is not null)
        {
            CheckAttribute(condition, path, context);
            return;
        }

        if (!earlier.TryGetValue(condition.TaskKey ?? string.Empty, out var source))
        {
            context.AddFailure($"{path}.TaskKey",
                $"A condition may only test a task that is done before this one opens (an earlier stage, or earlier " +
                $"in the same track); '{condition.TaskKey}' is not one (it is unknown, in the same stage or later).");
            return;
        }

        if (source.Kind is not (TaskKind.CompleteAssessment or TaskKind.CompleteIntakeForm))
        {
            context.AddFailure($"{path}.TaskKey", "A condition may only test an intake form's answer or an assessment's score.");
            return;
        }

        if (!Enum.IsDefined(condition.Operator)) context.AddFailure($"{path}.Operator", "Unknown operator.");
        if (string.IsNullOrWhiteSpace(condition.Value)) context.AddFailure($"{path}.Value", "Give the value to compare with.");
        else if (condition.Value.Length > MaxConditionValueLength)
            context.AddFailure($"{path}.Value", $"A condition's value has at most {MaxConditionValueLength} characters.");
        else if (condition.Operator is ConditionOperator.AtLeast or ConditionOperator.AtMost
                 && !decimal.TryParse(condition.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            context.AddFailure($"{path}.Value", "'At least' and 'at most' compare numbers: give a number.");

        if (source.Kind == TaskKind.CompleteIntakeForm && string.IsNullOrWhiteSpace(condition.Field))
            context.AddFailure($"{path}.Field", "Name the form field whose answer the condition tests.");
        else if (condition.Field is { Length: > MaxConditionFieldLength })
            context.AddFailure($"{path}.Field", $"A form field's key has at most {MaxConditionFieldLength} characters.");
        if (source.Kind == TaskKind.CompleteAssessment && condition.Field is { Length: > 0 } field
            && field is not ("score" or "severity"))
            context.AddFailure($"{path}.Field", "An assessment condition tests its 'score' or its 'severity'.");
        if (source.Kind == TaskKind.CompleteAssessment && condition.Field == "severity" && !string.IsNullOrWhiteSpace(condition.Value))
        {
            // A severity is a word: comparing it as a number would never match, so the builder offers only these.
            if (condition.Operator is ConditionOperator.AtLeast or ConditionOperator.AtMost)
                context.AddFailure($"{path}.Operator", "A severity is compared with 'is' or 'is not'; compare the score for 'at least'.");
            else if (!ConditionWords.SeverityBands.Contains(condition.Value.Trim(), StringComparer.OrdinalIgnoreCase))
                context.AddFailure($"{path}.Value", $"A severity is one of: {string.Join(", ", ConditionWords.SeverityBands)}.");
        }
    }

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    internal static partial Regex InstrumentPattern();
}
