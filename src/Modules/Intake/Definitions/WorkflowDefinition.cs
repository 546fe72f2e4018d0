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
    TaskCondition? Condition = null);

/// <summary>A stage: its tasks are open at the same time; the next stage opens when all of them are done.</summary>
public sealed record StageSpec(string Name, IReadOnlyList<TaskSpec> Tasks);

/// <summary>
/// The content of one version of a workflow definition. Also the request body of create, save-draft and import, and
/// the export format.
/// </summary>
public sealed record WorkflowContent(string Name, IReadOnlyList<StageSpec> Stages, string? Format = null)
{
    public const string ExportFormat = "portal.intake-workflow/1";

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

    // Practice library (Definitions/WorkflowLibrary.cs): a definition is its author's until an owner shares it.

    /// <summary>An owner put it in the practice library: every clinician of the practice sees, assigns and copies it.</summary>
    public bool InLibrary { get; set; }

    /// <summary>When it was put in the library (null while it is not there).</summary>
    public DateTimeOffset? InLibrarySince { get; set; }
}
