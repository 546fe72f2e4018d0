using System.Text.Json.Serialization;

namespace Portal.Forms.IntakeForms;

/// <summary>
/// An intake form of a practice. The provider edits a working schema; publishing freezes it as the next numbered
/// version. Submissions are validated against, and stored with, the exact version the client filled.
/// </summary>
public sealed class IntakeForm : IPracticeContent
{
    public static string Noun => "form";

    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public Guid ProviderId { get; set; }
    public string Title { get; set; } = string.Empty;
    public FormSchema Schema { get; set; } = new();
    public int Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<FormVersion> Versions { get; set; } = [];

    /// <summary>
    /// The working schema's words in other languages, by language code ("es"): published with it. Keys and option
    /// values stay the English ones, so answers, conditions and exports do not depend on the language answered in.
    /// </summary>
    public Dictionary<string, FormTranslation> Translations { get; set; } = [];

    /// <summary>When the practice withdrew it: no new intake task may ask for it until a new version is published.</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }

    public FormVersion? Latest => Versions.Count == 0 ? null : Versions[^1];

    public FormVersion? Version(int number) => Versions.FirstOrDefault(v => v.Number == number);

    int? IPracticeContent.LatestVersion => Latest?.Number;
}

public sealed class FormVersion
{
    public int Number { get; set; }
    public string Title { get; set; } = string.Empty;
    public FormSchema Schema { get; set; } = new();
    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>This version's words in other languages, frozen with it, by language code.</summary>
    public Dictionary<string, FormTranslation> Translations { get; set; } = [];

    /// <summary>The words a reader of <paramref name="language"/> is shown, or null for English (the schema's own).</summary>
    internal FormTranslation? In(string language) =>
        language != Portal.BuildingBlocks.Localization.PortalLanguages.English && Translations.TryGetValue(language, out var t) ? t : null;
}

/// <summary>
/// A form's words in another language: the title, each section's title by section key, and each field's label, help
/// and choice labels by field key (and choice value). What it leaves out reads in English.
/// </summary>
public sealed class FormTranslation
{
    public string Title { get; set; } = string.Empty;
    public Dictionary<string, string> Sections { get; set; } = [];
    public Dictionary<string, FieldTranslation> Fields { get; set; } = [];

    /// <summary>A copy of <paramref name="schema"/> in these words; keys, types, rules, conditions and choice values unchanged.</summary>
    public FormSchema Apply(FormSchema schema)
    {
        var copy = System.Text.Json.JsonSerializer.Deserialize<FormSchema>(System.Text.Json.JsonSerializer.Serialize(schema))!;
        foreach (var section in copy.Sections)
        {
            if (Sections.TryGetValue(section.Key, out var title) && !string.IsNullOrWhiteSpace(title)) section.Title = title;
            foreach (var field in section.Fields)
            {
                if (!Fields.TryGetValue(field.Key, out var words)) continue;
                if (!string.IsNullOrWhiteSpace(words.Label)) field.Label = words.Label;
                if (!string.IsNullOrWhiteSpace(words.Help)) field.Help = words.Help;
            }
        }
        return copy;
    }

    /// <summary>How a choice reads: its label in these words, else its value (the English text).</summary>
    public string OptionLabel(string fieldKey, string value) =>
        Fields.TryGetValue(fieldKey, out var words) && words.Options.TryGetValue(value, out var label) && !string.IsNullOrWhiteSpace(label)
            ? label
            : value;
}

public sealed class FieldTranslation
{
    public string Label { get; set; } = string.Empty;
    public string? Help { get; set; }

    /// <summary>Each choice's label, by the choice's value (its English text, which answers keep).</summary>
    public Dictionary<string, string> Options { get; set; } = [];
}

/// <summary>A form's sections, in order. A section or field can be shown only when an earlier answer matches.</summary>
public sealed class FormSchema
{
    public List<FormSection> Sections { get; set; } = [];

    public IEnumerable<FormField> AllFields => Sections.SelectMany(s => s.Fields);
}

public sealed class FormSection
{
    public string Key { get; set; } = string.Empty;
    public string Title { get; set; } = string.Empty;
    public ShowWhen? ShowWhen { get; set; }
    public List<FormField> Fields { get; set; } = [];
}

[JsonConverter(typeof(JsonStringEnumConverter<FieldType>))]
public enum FieldType
{
    ShortText,
    LongText,
    Number,
    Date,
    SingleChoice,
    MultipleChoice,
    YesNo,
}

public sealed class FormField
{
    public string Key { get; set; } = string.Empty;
    public string Label { get; set; } = string.Empty;
    public string? Help { get; set; }
    public FieldType Type { get; set; }
    public bool Required { get; set; }

    /// <summary>The choices of a single or multiple choice field.</summary>
    public List<string> Options { get; set; } = [];

    /// <summary>Number: smallest and largest value. Multiple choice: fewest and most choices.</summary>
    public decimal? Min { get; set; }
    public decimal? Max { get; set; }

    /// <summary>Date: earliest and latest date an answer may be (either may be left open).</summary>
    public DateOnly? MinDate { get; set; }
    public DateOnly? MaxDate { get; set; }

    /// <summary>Text: most characters.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Text: a regular expression the whole answer must match.</summary>
    public string? Pattern { get; set; }

    public ShowWhen? ShowWhen { get; set; }
}

/// <summary>Shown only when the answer to the earlier field <see cref="Field"/> is (or, for multiple choice, includes) <see cref="Value"/>.</summary>
public sealed class ShowWhen
{
    public string Field { get; set; } = string.Empty;
    public string Value { get; set; } = string.Empty;
}
