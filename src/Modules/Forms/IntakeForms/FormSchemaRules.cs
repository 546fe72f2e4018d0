using System.Text.RegularExpressions;

namespace Portal.Forms.IntakeForms;

/// <summary>
/// What makes a form schema well formed: unique keys, choices where a field needs them, rules that fit the field's
/// type (number and choice counts, date ranges, text lengths), patterns that compile, and conditions that look back at
/// an earlier field with a value it can have.
/// Pure: the validators of the create and save requests use it.
/// </summary>
internal static partial class FormSchemaRules
{
    public const int MaxSections = 50, MaxFields = 300, MaxOptions = 100, MaxTextLength = 20_000;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,49}$")]
    private static partial Regex KeyShape();

    /// <summary>The schema of a create or save request: each fault under its path (<c>schema.sections[0].fields[1].key</c>).</summary>
    public static void MustBeWellFormed<T>(this IRuleBuilder<T, FormSchema?> rule) =>
        rule.Custom((schema, context) =>
        {
            foreach (var (path, messages) in Check(schema))
                foreach (var message in messages) context.AddFailure(path, message);
        });

    public static Dictionary<string, List<string>> Check(FormSchema? schema, string prefix = "schema")
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string path, string message)
        {
            if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
            list.Add(message);
        }

        if (schema?.Sections is null || schema.Sections.Count == 0)
        {
            Add($"{prefix}.sections", "Add at least one section.");
            return errors;
        }
        if (schema.Sections.Count > MaxSections) Add($"{prefix}.sections", $"A form has at most {MaxSections} sections.");
        if (schema.Sections.Sum(s => s?.Fields?.Count ?? 0) > MaxFields) Add($"{prefix}.sections", $"A form has at most {MaxFields} fields.");
        if (errors.Count > 0) return errors;

        var earlier = new Dictionary<string, FormField>();
        var sectionKeys = new HashSet<string>();
        for (var s = 0; s < schema.Sections.Count; s++)
        {
            var section = schema.Sections[s];
            var sectionPath = $"{prefix}.sections[{s}]";
            if (section is null) { Add(sectionPath, "A section is required."); continue; }
            if (section.Key is null || !KeyShape().IsMatch(section.Key))
                Add($"{sectionPath}.key", "Use lower-case letters, digits and _ (starting with a letter), at most 50.");
            else if (!sectionKeys.Add(section.Key)) Add($"{sectionPath}.key", $"Another section already has the key '{section.Key}'.");
            if (string.IsNullOrWhiteSpace(section.Title) || section.Title.Length > 200)
                Add($"{sectionPath}.title", "Give the section a title (at most 200 characters).");
            if (section.ShowWhen is not null) CheckCondition(section.ShowWhen, earlier, $"{sectionPath}.showWhen", Add);
            if (section.Fields is null || section.Fields.Count == 0) { Add($"{sectionPath}.fields", "Add at least one field."); continue; }

            for (var f = 0; f < section.Fields.Count; f++)
            {
                var field = section.Fields[f];
                var path = $"{sectionPath}.fields[{f}]";
                if (field is null) { Add(path, "A field is required."); continue; }
                CheckField(field, path, Add);
                if (field.ShowWhen is not null) CheckCondition(field.ShowWhen, earlier, $"{path}.showWhen", Add);
                if (field.Key is not null && KeyShape().IsMatch(field.Key) && !earlier.TryAdd(field.Key, field))
                    Add($"{path}.key", $"Another field already has the key '{field.Key}'.");
            }
        }
        return errors;
    }

    private static void CheckField(FormField field, string path, Action<string, string> add)
    {
        if (field.Key is null || !KeyShape().IsMatch(field.Key))
            add($"{path}.key", "Use lower-case letters, digits and _ (starting with a letter), at most 50.");
        if (string.IsNullOrWhiteSpace(field.Label) || field.Label.Length > 500)
            add($"{path}.label", "Give the field a label (at most 500 characters).");
        if (field.Help is { Length: > 1000 }) add($"{path}.help", "Help text has at most 1000 characters.");
        if (!Enum.IsDefined(field.Type)) add($"{path}.type", "Unknown field type.");

        var isChoice = field.Type is FieldType.SingleChoice or FieldType.MultipleChoice;
        var isText = field.Type is FieldType.ShortText or FieldType.LongText;
        var options = field.Options ?? [];
        if (isChoice)
        {
            if (options.Count == 0 || options.Count > MaxOptions) add($"{path}.options", $"Give between 1 and {MaxOptions} choices.");
            if (options.Any(o => string.IsNullOrWhiteSpace(o) || o.Length > 200))
                add($"{path}.options", "Every choice needs a text of at most 200 characters.");
            if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count) add($"{path}.options", "Choices must differ.");
        }
        else if (options.Count > 0) add($"{path}.options", "Only choice fields have choices.");

        if (field.Min is not null || field.Max is not null)
        {
            if (field.Type == FieldType.MultipleChoice)
            {
                if (field.Min is { } min && (min < 0 || min != decimal.Truncate(min) || min > options.Count))
                    add($"{path}.min", "The fewest choices must be a whole number up to the number of choices.");
                if (field.Max is { } max && (max < 1 || max != decimal.Truncate(max)))
                    add($"{path}.max", "The most choices must be a whole number of at least 1.");
            }
            else if (field.Type != FieldType.Number) add($"{path}.min", "Minimum and maximum apply to number and multiple choice fields.");
            if (field.Min is { } low && field.Max is { } high && low > high) add($"{path}.max", "The maximum must not be less than the minimum.");
        }

        if (field.MinDate is not null || field.MaxDate is not null)
        {
            if (field.Type != FieldType.Date)
                add(field.MinDate is not null ? $"{path}.minDate" : $"{path}.maxDate", "Earliest and latest dates apply to date fields.");
            else if (field.MinDate is { } earliest && field.MaxDate is { } latest && earliest > latest)
                add($"{path}.maxDate", "The latest date must not be before the earliest date.");
        }

        if (field.MaxLength is { } length && (!isText || length < 1 || length > MaxTextLength))
            add($"{path}.maxLength", isText ? $"The maximum length is between 1 and {MaxTextLength}." : "Only text fields have a maximum length.");

        if (field.Pattern is { } pattern)
        {
            if (!isText) add($"{path}.pattern", "Only text fields have a pattern.");
            else if (pattern.Length is 0 or > 500 || !Compiles(pattern))
                add($"{path}.pattern", "The pattern is not a valid regular expression (at most 500 characters).");
        }
    }

    private static void CheckCondition(ShowWhen condition, IReadOnlyDictionary<string, FormField> earlier, string path, Action<string, string> add)
    {
        if (condition.Field is null || !earlier.TryGetValue(condition.Field, out var source))
        {
            add($"{path}.field", "A condition must name a field that comes earlier in the form.");
            return;
        }
        var value = condition.Value ?? string.Empty;
        var fits = source.Type switch
        {
            FieldType.YesNo => value is "yes" or "no",
            FieldType.SingleChoice or FieldType.MultipleChoice => (source.Options ?? []).Contains(value),
            _ => value.Length is > 0 and <= 500,
        };
        if (!fits) add($"{path}.value", $"'{value}' is not an answer the field '{source.Key}' can have.");
    }

    internal static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
