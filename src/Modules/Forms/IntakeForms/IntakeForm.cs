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
