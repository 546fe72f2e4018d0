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
    string? TaskKey,
    string? Field,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ConditionOperator>))] ConditionOperator Operator,
    string Value)
{
    /// <summary>
    /// Set instead of <see cref="TaskKey"/> when the condition reads the client rather than an earlier task:
    /// "billing" (insurance | selfPay), "minor" (true | false) or "language" (en | es). See <see cref="ClientAttributes"/>.
    /// </summary>
    public string? Attribute { get; init; }
}

/// <summary>Whether every (All) or at least one (Any) of a group's parts must hold or be done.</summary>
public enum AllOrAny
{
    All,
    Any,
}

/// <summary>
/// A task's conditions combined: all or any of <see cref="Conditions"/> and of the nested <see cref="Groups"/> (one
/// level deep: a nested group has no groups of its own). "PHQ-9 score is at least 10 and (client bills insurance or
/// client is a minor)".
/// </summary>
public sealed record ConditionGroup(
    [property: JsonConverter(typeof(JsonStringEnumConverter<AllOrAny>))] AllOrAny Match,
    IReadOnlyList<TaskCondition> Conditions)
{
    public IReadOnlyList<ConditionGroup>? Groups { get; init; }

    /// <summary>Every condition of the group and of its nested groups.</summary>
    public IEnumerable<TaskCondition> AllConditions() =>
        (Conditions ?? []).Concat((Groups ?? []).Where(g => g is not null).SelectMany(g => g.AllConditions()));
}

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
    /// <summary>
    /// When the task is asked for at all (format 2). The single <see cref="Condition"/> of format 1 still works: it
    /// reads as <c>When = All[Condition]</c> (<see cref="Guard"/>).
    /// </summary>
    public ConditionGroup? When { get; init; }

    // Workflows v2, dates and recurrence (#30 items 1, 3): see Dates/TaskDates.cs.

    /// <summary>When the task opens: null opens it with its stage (as v1 did).</summary>
    public DateAnchor? Opens { get; init; }

    /// <summary>When it is due; null reads the v1 <see cref="DueInDays"/> (from the stage's start), else no due date.</summary>
    public DateAnchor? Due { get; init; }

    /// <summary>Asks again after each completion (PHQ-9 every two weeks until discharge); null asks once.</summary>
    public RepeatSpec? Repeat { get; init; }

    /// <summary>
    /// An optional task (false) is offered but never waited for: its stage and track move on without it, and it is
    /// closed as not needed when the assignment completes.
    /// </summary>
    public bool Required { get; init; } = true;

    /// <summary>The conditions that decide whether the task is asked for: <see cref="When"/>, else the v1 condition.</summary>
    public ConditionGroup? Guard() =>
        When ?? (Condition is { } condition ? new ConditionGroup(AllOrAny.All, [condition]) : null);
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

/// <summary>One track of a stage: its tasks are asked for one after another, each when the one before it is done.</summary>
public sealed record TrackSpec(string Name, IReadOnlyList<TaskSpec> Tasks);

/// <summary>
/// A stage: its plain <see cref="Tasks"/> are open at the same time, its <see cref="Tracks"/> run side by side; the
/// next stage opens when the plain tasks are done and all tracks (or any one, <see cref="Join"/>) are done.
/// </summary>
public sealed record StageSpec(string Name, IReadOnlyList<TaskSpec> Tasks)
{
    public IReadOnlyList<TrackSpec>? Tracks { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<AllOrAny>))]
    public AllOrAny Join { get; init; } = AllOrAny.All;

    /// <summary>The plain tasks, then each track's tasks in order. Task keys are unique across a whole version.</summary>
    public IEnumerable<TaskSpec> AllTasks() =>
        (Tasks ?? []).Concat((Tracks ?? []).Where(t => t is not null).SelectMany(t => t.Tasks ?? []));
}

/// <summary>
/// The content of one version of a workflow definition. Also the request body of create, save-draft and import, and
/// the export format.
/// </summary>
public sealed record WorkflowContent(string Name, IReadOnlyList<StageSpec> Stages, string? Format = null)
{
    /// <summary>What export writes. Format 2 adds tracks, condition groups, optional tasks; every new field is optional.</summary>
    public const string ExportFormat = "portal.intake-workflow/2";

    /// <summary>Format 1 content is valid format 2 content, so import reads both.</summary>
    public const string ExportFormatV1 = "portal.intake-workflow/1";

    public static readonly IReadOnlyList<string> ReadableFormats = [ExportFormatV1, ExportFormat];

    /// <summary>Every task of every stage (plain tasks and tracks), stage by stage.</summary>
    public IEnumerable<TaskSpec> AllTasks() => (Stages ?? []).Where(s => s is not null).SelectMany(s => s.AllTasks());

    /// <summary>When the practice starts this workflow by itself (client added, eligible, billing to insurance): <c>Triggers/</c>.</summary>
    public IReadOnlyList<Triggers.WorkflowTrigger>? Triggers { get; init; }
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
        // A v2 stage may hold only tracks: its plain task list is kept empty, never null, for every reader after this.
        content = content with { Format = null, Stages = [.. content.Stages.Select(s => s with { Tasks = s.Tasks ?? [] })] };
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

    // Practice library (Definitions/WorkflowLibrary.cs): a definition is its author's until an owner shares it.

    /// <summary>An owner put it in the practice library: every clinician of the practice sees, assigns and copies it.</summary>
    public bool InLibrary { get; set; }

    /// <summary>When it was put in the library (null while it is not there).</summary>
    public DateTimeOffset? InLibrarySince { get; set; }
}
