using System.Text.Json.Serialization;
using Portal.Contracts;

namespace Portal.Intake.Definitions;

public enum DefinitionStatus
{
    Draft,
    Published,
    /// <summary>Was published; a newer version is published now. Assignments that run on it carry on.</summary>
    Superseded,
}

public enum ConditionOperator
{
    Equals,
    NotEquals,
    AtLeast,
    AtMost,
}

/// <summary>
/// Include a task only when an earlier task's result matches: an assessment's score (<see cref="Field"/> empty or
/// "score") or severity ("severity"), or an intake form's answer to the field named by <see cref="Field"/>.
/// </summary>
public sealed record TaskCondition(
    string TaskKey,
    string? Field,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ConditionOperator>))] ConditionOperator Operator,
    string Value);

/// <summary>One task of a stage, as the provider configured it.</summary>
public sealed record TaskSpec(
    string Key,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TaskKind>))] TaskKind Kind,
    string? SubjectId = null,
    string? Title = null,
    int? DueInDays = null,
    int? RemindEveryDays = null,
    int MaxReminders = 0,
    TaskCondition? Condition = null)
{
    // Workflows v2, dates and recurrence (#30 items 1, 3): see Dates/TaskDates.cs.

    /// <summary>When the task opens: null opens it with its stage (as v1 did).</summary>
    public DateAnchor? Opens { get; init; }

    /// <summary>When it is due; null reads the v1 <see cref="DueInDays"/> (from the stage's start), else no due date.</summary>
    public DateAnchor? Due { get; init; }

    /// <summary>Asks again after each completion (PHQ-9 every two weeks until discharge); null asks once.</summary>
    public RepeatSpec? Repeat { get; init; }
}

/// <summary>
/// A day relative to a named date of the assignment ("firstSession", or one the practice defines), or to the task's
/// stage start when <see cref="Date"/> is null: <see cref="OffsetDays"/> may be negative ("7 days before").
/// </summary>
public sealed record DateAnchor(string? Date, int OffsetDays);

/// <summary>
/// Every <see cref="EveryWeeks"/> weeks after the previous occurrence opened, <see cref="Times"/> occurrences in all
/// and/or until the client is discharged (the assignment ends).
/// </summary>
public sealed record RepeatSpec(int EveryWeeks, int? Times = null, bool UntilDischarge = false);

/// <summary>A stage: its tasks are open at the same time; the next stage opens when all of them are done.</summary>
public sealed record StageSpec(string Name, IReadOnlyList<TaskSpec> Tasks);

/// <summary>
/// The content of one version of a workflow definition. Also the request body of create, save-draft and import, and
/// the export format.
/// </summary>
public sealed record WorkflowContent(string Name, IReadOnlyList<StageSpec> Stages, string? Format = null)
{
    public const string ExportFormat = "portal.intake-workflow/1";
}

public sealed class DefinitionVersion
{
    public int Version { get; set; }
    public DefinitionStatus Status { get; set; }
    public WorkflowContent Content { get; set; } = new(string.Empty, []);
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
}

/// <summary>
/// A provider's intake workflow: a stable id and numbered versions, as in Elsa. The newest version is the only one
/// that may be a draft; editing a published definition starts a new draft version. Assignments copy the version
/// they run on, so nothing done here changes them.
/// </summary>
public sealed class WorkflowDefinition
{
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public List<DefinitionVersion> Versions { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Counts every change (draft saved, draft published). An editor sends the revision it loaded; a save or publish
    /// from an older revision is refused (409), so nobody overwrites a change they have not seen.
    /// </summary>
    public int Revision { get; set; }

    public DefinitionVersion Latest => Versions[^1];

    public DefinitionVersion? Published => Versions.LastOrDefault(v => v.Status == DefinitionStatus.Published);

    public string Name => Latest.Content.Name;

    /// <summary>Saves content as the draft: replaces the draft, or starts a new draft after a published version.</summary>
    public DefinitionVersion SaveDraft(WorkflowContent content, DateTimeOffset now)
    {
        content = content with { Format = null };
        UpdatedAt = now;
        Revision++;
        if (Versions.Count > 0 && Latest.Status == DefinitionStatus.Draft)
        {
            Latest.Content = content;
            return Latest;
        }

        var draft = new DefinitionVersion
        {
            Version = Versions.Count == 0 ? 1 : Latest.Version + 1,
            Status = DefinitionStatus.Draft,
            Content = content,
            CreatedAt = now,
        };
        Versions.Add(draft);
        return draft;
    }

    /// <summary>Publishes the draft; the previously published version becomes superseded.</summary>
    public DefinitionVersion? PublishDraft(DateTimeOffset now)
    {
        if (Versions.Count == 0 || Latest.Status != DefinitionStatus.Draft) return null;
        foreach (var version in Versions.Where(v => v.Status == DefinitionStatus.Published))
            version.Status = DefinitionStatus.Superseded;
        Latest.Status = DefinitionStatus.Published;
        Latest.PublishedAt = now;
        UpdatedAt = now;
        Revision++;
        return Latest;
    }
}
