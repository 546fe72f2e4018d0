using System.Globalization;
using Portal.Contracts;
using Portal.Intake.Catalog;

namespace Portal.Intake.Definitions;

/// <summary>
/// A task condition as a provider reads it ("PHQ-9 score is at least 10"), and the one comparison the engine and the
/// preview both use, so what the builder promises is what a running assignment does.
/// </summary>
internal static class ConditionWords
{
    /// <summary>The operators in the order the builder offers them, after "only when the PHQ-9 score ...".</summary>
    public static readonly IReadOnlyList<ConditionOperator> Operators =
        [ConditionOperator.Equals, ConditionOperator.NotEquals, ConditionOperator.AtLeast, ConditionOperator.AtMost];

    /// <summary>The severity bands of the built-in instruments, lowest first, as their results name them.</summary>
    public static readonly IReadOnlyList<string> SeverityBands = ["minimal", "mild", "moderate", "moderately severe", "severe"];

    public static string Words(ConditionOperator op) => op switch
    {
        ConditionOperator.Equals => "is",
        ConditionOperator.NotEquals => "is not",
        ConditionOperator.AtLeast => "is at least",
        _ => "is at most",
    };

    /// <summary>"score" for an assessment's condition without a field, else the field.</summary>
    public static string Field(TaskCondition condition) => string.IsNullOrEmpty(condition.Field) ? "score" : condition.Field;

    /// <summary>"the PHQ-9 score is at least 10", "the answer to 'has_insurance' in Intake questionnaire is yes".</summary>
    public static string Describe(TaskCondition condition, WorkflowContent content, IReadOnlyList<CatalogItem> catalog) =>
        Describe(condition, content.AllTasks().ToList(), catalog);

    public static string Describe(TaskCondition condition, IReadOnlyList<TaskSpec> tasks, IReadOnlyList<CatalogItem> catalog)
    {
        if (condition.Attribute is { } attribute) return DescribeAttribute(attribute, condition.Operator, condition.Value);
        var source = tasks.FirstOrDefault(t => t.Key == condition.TaskKey);
        var what = source is null
            ? $"{condition.TaskKey} {Field(condition)}"
            : Subject(source, Field(condition), catalog);
        // A chosen answer reads as the client read it ("Yes"), not as it is stored ("yes").
        var value = source is null ? null
            : Answers(source, Field(condition), catalog)
                .FirstOrDefault(a => string.Equals(a.Value, condition.Value, StringComparison.OrdinalIgnoreCase)).Label;
        return $"{what} {Words(condition.Operator)} {value ?? condition.Value}";
    }

    /// <summary>
    /// A group in words: "the PHQ-9 score is at least 10 and (client bills insurance or client is a minor)". A nested
    /// group of more than one part is put in brackets so that "and" and "or" never read ambiguously.
    /// </summary>
    public static string Describe(ConditionGroup group, IReadOnlyList<TaskSpec> tasks, IReadOnlyList<CatalogItem> catalog)
    {
        var parts = (group.Conditions ?? []).Where(c => c is not null).Select(c => Describe(c, tasks, catalog))
            .Concat((group.Groups ?? []).Where(g => g is not null).Select(g =>
            {
                var words = Describe(g, tasks, catalog);
                return g.AllConditions().Count() > 1 ? $"({words})" : words;
            }))
            .ToList();
        return string.Join(group.Match == AllOrAny.Any ? " or " : " and ", parts);
    }

    public static string Describe(ConditionGroup group, WorkflowContent content, IReadOnlyList<CatalogItem> catalog) =>
        Describe(group, content.AllTasks().ToList(), catalog);

    /// <summary>"client bills insurance", "client is not a minor", "client's language is Spanish".</summary>
    public static string DescribeAttribute(string attribute, ConditionOperator op, string value)
    {
        var known = ClientAttributeNames.Known(attribute, value) ?? value;
        var not = op == ConditionOperator.NotEquals;
        return attribute switch
        {
            ClientAttributeNames.Billing when known == ClientAttributeNames.Insurance =>
                not ? "client does not bill insurance" : "client bills insurance",
            ClientAttributeNames.Billing when known == ClientAttributeNames.SelfPay =>
                not ? "client is not self-pay" : "client is self-pay",
            ClientAttributeNames.Minor when (known == "true") != not => "client is a minor",
            ClientAttributeNames.Minor => not ? "client is not a minor" : "client is an adult",
            ClientAttributeNames.Language =>
                $"client's language {(not ? "is not" : "is")} {LanguageName(known)}",
            _ => $"client's {attribute} {Words(op)} {value}",
        };
    }

    private static string LanguageName(string code) => code switch
    {
        "en" => "English",
        "es" => "Spanish",
        _ => code,
    };

    /// <summary>
    /// Whether a group holds, given how each condition's value is read (<paramref name="actual"/>: null when the
    /// result or attribute is not known, which matches nothing). An empty group holds when All, not when Any.
    /// </summary>
    public static bool Holds(ConditionGroup group, Func<TaskCondition, string?> actual)
    {
        var results = (group.Conditions ?? []).Where(c => c is not null)
            .Select(c => Matches(c.Operator, actual(c), c.Value))
            .Concat((group.Groups ?? []).Where(g => g is not null).Select(g => Holds(g, actual)));
        return group.Match == AllOrAny.Any ? results.Any(r => r) : results.All(r => r);
    }

    /// <summary>What a condition on this task and field reads: "the PHQ-9 score", "the answer to 'Mood' in Intake form".</summary>
    public static string Subject(TaskSpec source, string field, IReadOnlyList<CatalogItem> catalog)
    {
        if (source.Kind == TaskKind.CompleteAssessment)
            return $"the {source.SubjectId?.ToUpperInvariant().Replace("PHQ9", "PHQ-9").Replace("GAD7", "GAD-7")} {field}";
        var item = Form(source, catalog);
        var form = item?.Title ?? source.Title ?? source.Key;
        var label = item?.Fields.FirstOrDefault(f => f.Key == field)?.Label is { Length: > 0 } known ? known : field;
        return $"the answer to \u201c{label}\u201d in {form}";
    }

    /// <summary>
    /// The answers a condition on this result is chosen from: a severity band, a form field's options (value stored,
    /// label shown). Empty when the value is typed: a score, or a free-text answer.
    /// </summary>
    public static IReadOnlyList<(string Value, string Label)> Answers(TaskSpec source, string field, IReadOnlyList<CatalogItem> catalog) =>
        source.Kind switch
        {
            TaskKind.CompleteAssessment when field == "severity" => [.. SeverityBands.Select(b => (b, b))],
            TaskKind.CompleteIntakeForm when Form(source, catalog)?.ChoiceField(field) is { } choice =>
                [.. choice.Options.Select(o => (o.Value, o.Label))],
            _ => [],
        };

    private static CatalogItem? Form(TaskSpec source, IReadOnlyList<CatalogItem> catalog) =>
        catalog.FirstOrDefault(i => i.Id.ToString() == source.SubjectId);

    /// <summary>Whether an earlier result (a score, a severity or an answer) meets the condition.</summary>
    public static bool Matches(ConditionOperator op, string? actual, string expected)
    {
        if (actual is null) return false;
        return op switch
        {
            ConditionOperator.Equals => string.Equals(actual.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase),
            ConditionOperator.NotEquals => !string.Equals(actual.Trim(), expected.Trim(), StringComparison.OrdinalIgnoreCase),
            ConditionOperator.AtLeast => Number(actual) is { } a && Number(expected) is { } b && a >= b,
            ConditionOperator.AtMost => Number(actual) is { } a2 && Number(expected) is { } b2 && a2 <= b2,
            _ => false,
        };
    }

    private static decimal? Number(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
