using System.Globalization;
using System.Text;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.Forms;

// The builder's posted state, field by field. Public only because Razor Pages model binding needs it.

/// <summary>Everything the builder page posts: the title, the revision it loaded and every section as typed.</summary>
public sealed class BuilderDraft
{
    public string? Title { get; set; }
    public int Revision { get; set; }
    public List<BuilderSection> Sections { get; set; } = [];
}

public sealed class BuilderSection
{
    public string? Key { get; set; }
    public string? Title { get; set; }
    public string? ShowWhenField { get; set; }
    public string? ShowWhenValue { get; set; }
    public List<BuilderField> Fields { get; set; } = [];
}

public sealed class BuilderField
{
    public string? Key { get; set; }
    public string? Label { get; set; }
    public FieldType Type { get; set; }
    public bool Required { get; set; }
    public string? Help { get; set; }

    /// <summary>One choice a line.</summary>
    public string? Options { get; set; }

    public string? Min { get; set; }
    public string? Max { get; set; }
    public string? MinDate { get; set; }
    public string? MaxDate { get; set; }
    public string? MaxLength { get; set; }
    public string? Pattern { get; set; }
    public string? ShowWhenField { get; set; }
    public string? ShowWhenValue { get; set; }
}

/// <summary>
/// Turns the builder's posted state into a <see cref="FormSchema"/> (and back), and carries out the builder's
/// structural actions on it. It only reshapes input: whether the schema is well formed is for the save slice's
/// validator (<see cref="FormSchemaRules"/>) alone.
/// </summary>
internal static class BuilderMapping
{
    public const string NewSectionTitle = "New section", NewFieldLabel = "New question";

    public static readonly IReadOnlyList<(FieldType Type, string Name)> Types =
    [
        (FieldType.ShortText, "Short text"), (FieldType.LongText, "Long text"), (FieldType.Number, "Number"),
        (FieldType.Date, "Date"), (FieldType.SingleChoice, "Single choice"), (FieldType.MultipleChoice, "Multiple choice"),
        (FieldType.YesNo, "Yes / no"),
    ];

    public static BuilderDraft From(string title, int revision, FormSchema schema) => new()
    {
        Title = title,
        Revision = revision,
        Sections = schema.Sections.Select(s => new BuilderSection
        {
            Key = s.Key,
            Title = s.Title,
            ShowWhenField = s.ShowWhen?.Field,
            ShowWhenValue = s.ShowWhen?.Value,
            Fields = s.Fields.Select(f => new BuilderField
            {
                Key = f.Key,
                Label = f.Label,
                Type = f.Type,
                Required = f.Required,
                Help = f.Help,
                Options = f.Options.Count == 0 ? null : string.Join('\n', f.Options),
                Min = f.Min?.ToString(CultureInfo.InvariantCulture),
                Max = f.Max?.ToString(CultureInfo.InvariantCulture),
                MinDate = f.MinDate is { } earliest ? FormEvaluator.IsoDate(earliest) : null,
                MaxDate = f.MaxDate is { } latest ? FormEvaluator.IsoDate(latest) : null,
                MaxLength = f.MaxLength?.ToString(CultureInfo.InvariantCulture),
                Pattern = f.Pattern,
                ShowWhenField = f.ShowWhen?.Field,
                ShowWhenValue = f.ShowWhen?.Value,
            }).ToList(),
        }).ToList(),
    };

    /// <summary>A new form's starting point: one section with one question.</summary>
    public static FormSchema Starter() => new()
    {
        Sections = [new FormSection { Key = "new_section", Title = NewSectionTitle, Fields = [NewField("new_question")] }],
    };

    private static FormField NewField(string key) => new() { Key = key, Label = NewFieldLabel, Type = FieldType.ShortText };

    /// <summary>
    /// The schema the draft describes. Empty keys are made from the label or title (and written back into the draft, so
    /// the page shows them); numbers that do not read as numbers are reported at their field's path.
    /// </summary>
    public static (FormSchema Schema, Dictionary<string, List<string>> Errors) ToSchema(BuilderDraft draft)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(string path, string message)
        {
            if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
            list.Add(message);
        }

        FillKeys(draft.Sections, s => s.Key, (s, k) => s.Key = k, s => s.Title, "section");
        FillKeys(draft.Sections.SelectMany(s => s.Fields).ToList(), f => f.Key, (f, k) => f.Key = k, f => f.Label, "question");

        var schema = new FormSchema();
        for (var s = 0; s < draft.Sections.Count; s++)
        {
            var input = draft.Sections[s];
            var section = new FormSection { Key = input.Key!, Title = input.Title?.Trim() ?? string.Empty };
            for (var f = 0; f < input.Fields.Count; f++)
            {
                var field = input.Fields[f];
                var path = $"schema.sections[{s}].fields[{f}]";
                section.Fields.Add(new FormField
                {
                    Key = field.Key!,
                    Label = field.Label?.Trim() ?? string.Empty,
                    Type = field.Type,
                    Required = field.Required,
                    Help = string.IsNullOrWhiteSpace(field.Help) ? null : field.Help.Trim(),
                    Options = (field.Options ?? string.Empty).Split('\n').Select(o => o.Trim()).Where(o => o.Length > 0).ToList(),
                    Min = Number(field.Min, $"{path}.min", Add),
                    Max = Number(field.Max, $"{path}.max", Add),
                    MinDate = Date(field.MinDate, $"{path}.minDate", Add),
                    MaxDate = Date(field.MaxDate, $"{path}.maxDate", Add),
                    MaxLength = WholeNumber(field.MaxLength, $"{path}.maxLength", Add),
                    Pattern = string.IsNullOrEmpty(field.Pattern) ? null : field.Pattern,
                });
            }
            schema.Sections.Add(section);
        }

        // Conditions last: an answer typed as "Yes" or "cbt" reads as the value the earlier field really has.
        var byKey = schema.AllFields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First());
        for (var s = 0; s < draft.Sections.Count; s++)
        {
            var input = draft.Sections[s];
            schema.Sections[s].ShowWhen = Condition(input.ShowWhenField, input.ShowWhenValue, byKey);
            for (var f = 0; f < input.Fields.Count; f++)
                schema.Sections[s].Fields[f].ShowWhen = Condition(input.Fields[f].ShowWhenField, input.Fields[f].ShowWhenValue, byKey);
        }
        return (schema, errors);
    }

    private static ShowWhen? Condition(string? field, string? value, IReadOnlyDictionary<string, FormField> byKey)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var typed = value?.Trim() ?? string.Empty;
        if (byKey.TryGetValue(field, out var source))
        {
            if (source.Type == FieldType.YesNo && typed.ToLowerInvariant() is "yes" or "no") typed = typed.ToLowerInvariant();
            else if (source.Type is FieldType.SingleChoice or FieldType.MultipleChoice)
                typed = source.Options.FirstOrDefault(o => string.Equals(o, typed, StringComparison.OrdinalIgnoreCase)) ?? typed;
        }
        return new ShowWhen { Field = field, Value = typed };
    }

    private static decimal? Number(string? text, string path, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)) return value;
        add(path, $"'{text.Trim()}' is not a number.");
        return null;
    }

    private static DateOnly? Date(string? text, string path, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (FormEvaluator.TryParseIsoDate(text.Trim(), out var value)) return value;
        add(path, $"'{text.Trim()}' is not a date as YYYY-MM-DD.");
        return null;
    }

    private static int? WholeNumber(string? text, string path, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        add(path, $"'{text.Trim()}' is not a whole number.");
        return null;
    }

    /// <summary>Gives every item without a key one made from its text, unlike any other key.</summary>
    private static void FillKeys<T>(List<T> items, Func<T, string?> key, Action<T, string> set, Func<T, string?> text, string fallback)
    {
        var used = items.Select(key).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim()).ToHashSet();
        foreach (var item in items)
        {
            var current = key(item);
            if (!string.IsNullOrWhiteSpace(current))
            {
                set(item, current.Trim());
                continue;
            }
            var stem = Slug(text(item), fallback);
            var candidate = stem;
            for (var n = 2; used.Contains(candidate); n++) candidate = $"{stem}_{n}";
            used.Add(candidate);
            set(item, candidate);
        }
    }

    private static string Slug(string? text, string fallback)
    {
        var slug = new StringBuilder();
        foreach (var c in (text ?? string.Empty).ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '_') slug.Append('_');
            if (slug.Length >= 40) break;
        }
        var result = slug.ToString().Trim('_');
        if (result.Length == 0) return fallback;
        return result[0] is >= 'a' and <= 'z' ? result : $"{fallback}_{result}";
    }

    // The builder's structural actions. Out-of-range positions change nothing.

    public static string AddSection(BuilderDraft draft)
    {
        draft.Sections.Add(new BuilderSection { Title = NewSectionTitle, Fields = [new BuilderField { Label = NewFieldLabel }] });
        return $"s{draft.Sections.Count - 1}";
    }

    public static string AddField(BuilderDraft draft, int section)
    {
        if (section < 0 || section >= draft.Sections.Count) return string.Empty;
        var fields = draft.Sections[section].Fields;
        fields.Add(new BuilderField { Label = NewFieldLabel });
        return $"s{section}f{fields.Count - 1}";
    }

    public static string MoveSection(BuilderDraft draft, int section, int by)
    {
        var to = section + Math.Sign(by);
        if (section < 0 || section >= draft.Sections.Count || to < 0 || to >= draft.Sections.Count) return string.Empty;
        (draft.Sections[section], draft.Sections[to]) = (draft.Sections[to], draft.Sections[section]);
        return $"s{to}";
    }

    public static void RemoveSection(BuilderDraft draft, int section)
    {
        if (section >= 0 && section < draft.Sections.Count) draft.Sections.RemoveAt(section);
    }

    /// <summary>Moves a question one place; from the top or bottom of its section it moves into the neighbouring section.</summary>
    public static string MoveField(BuilderDraft draft, int section, int field, int by)
    {
        if (section < 0 || section >= draft.Sections.Count) return string.Empty;
        var fields = draft.Sections[section].Fields;
        if (field < 0 || field >= fields.Count) return string.Empty;
        var to = field + Math.Sign(by);
        if (to >= 0 && to < fields.Count)
        {
            (fields[field], fields[to]) = (fields[to], fields[field]);
            return $"s{section}f{to}";
        }
        var next = section + Math.Sign(by);
        if (next < 0 || next >= draft.Sections.Count) return string.Empty;
        var moved = fields[field];
        fields.RemoveAt(field);
        var target = draft.Sections[next].Fields;
        if (by < 0)
        {
            target.Add(moved);
            return $"s{next}f{target.Count - 1}";
        }
        target.Insert(0, moved);
        return $"s{next}f0";
    }

    public static void RemoveField(BuilderDraft draft, int section, int field)
    {
        if (section >= 0 && section < draft.Sections.Count && field >= 0 && field < draft.Sections[section].Fields.Count)
            draft.Sections[section].Fields.RemoveAt(field);
    }
}
