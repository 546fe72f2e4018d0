using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Portal.Contracts;
using Portal.Intake.Catalog;

namespace Portal.Intake.Definitions;

/// <summary>
/// What a client would see at each stage of a version (the latest unless <see cref="Version"/>), given the answers a
/// provider chooses for the results that conditions test, keyed "taskKey.field" ("phq9.score": "12",
/// "history.has_insurance": "yes"). A result not chosen counts as not given, as in a running assignment.
/// </summary>
public sealed record PreviewWorkflowRequest(int? Version = null, IReadOnlyDictionary<string, string>? Answers = null)
{
    /// <summary>The client to preview as: "billing" (insurance | selfPay), "minor" (true | false), "language" (en | es).</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}

internal enum PreviewTaskState
{
    /// <summary>The client is asked for it when its stage opens.</summary>
    Asked,

    /// <summary>Its condition is not met by the chosen answers: it is skipped and never shown.</summary>
    Skipped,
}

internal sealed record PreviewTask(
    string Key,
    string Title,
    int? DueInDays,
    [property: JsonConverter(typeof(JsonStringEnumConverter<PreviewTaskState>))] PreviewTaskState State,
    string? Condition)
{
    /// <summary>The track the task belongs to (asked after the track's tasks before it), or null for a plain task.</summary>
    public string? Track { get; init; }
}

internal sealed record PreviewStage(int Number, string Name, IReadOnlyList<PreviewTask> Tasks)
{
    /// <summary>"All" or "Any": whether the stage waits for all its tracks or for the first one done.</summary>
    public string Join { get; init; } = nameof(AllOrAny.All);
}

/// <summary>A result that a condition tests, for which the provider may choose an answer.</summary>
internal sealed record PreviewInput(string Name, string Label, string Kind, IReadOnlyList<string> Choices, string? Value);

internal sealed record WorkflowPreview(
    Guid DefinitionId, int Version, string Name, IReadOnlyList<PreviewInput> Inputs, IReadOnlyList<PreviewStage> Stages)
{
    /// <summary>The client attributes this version's conditions read, with the value chosen for the preview.</summary>
    public IReadOnlyList<PreviewInput> Attributes { get; init; } = [];
}

internal static class WorkflowPreviews
{
    public const int MaxAnswers = 100;

    /// <summary>
    /// Walks the stages as the engine does (<c>AssignmentProcess</c>): a task with a condition is asked only when the
    /// result it tests was given and matches; a result of a skipped task was never given.
    /// </summary>
    public static Outcome<WorkflowPreview> Build(WorkflowDefinition definition, int? version,
        IReadOnlyDictionary<string, string>? answers, IReadOnlyList<CatalogItem> catalog,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        var chosen = version is null ? definition.Latest : definition.Versions.FirstOrDefault(v => v.Version == version);
        if (chosen is null) return Refusal.NotFound("version");
        var content = chosen.Content;
        var inputs = Inputs(content, catalog);
        answers ??= new Dictionary<string, string>();
        if (answers.Count > MaxAnswers) return Refusal.Invalid("answers", $"At most {MaxAnswers} answers.");
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in answers)
        {
            if (inputs.All(i => i.Name != name))
                errors[$"answers.{name}"] = [$"No condition of version {chosen.Version} tests '{name}'."];
            else if (value is { Length: > WorkflowContentValidator.MaxConditionValueLength })
                errors[$"answers.{name}"] = [$"An answer has at most {WorkflowContentValidator.MaxConditionValueLength} characters."];
        }
        attributes ??= new Dictionary<string, string>();
        var client = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (!ClientAttributeNames.Values.TryGetValue(name, out var values))
                errors[$"attributes.{name}"] = [$"The client's attributes are: {string.Join(", ", ClientAttributeNames.Values.Keys)}."];
            else if (string.IsNullOrWhiteSpace(value)) continue;
            else if (ClientAttributeNames.Known(name, value) is { } known) client[name] = known;
            else errors[$"attributes.{name}"] = [$"The client's {name} is one of: {string.Join(", ", values)}."];
        }
        if (errors.Count > 0) return Refusal.Invalid(errors, "The preview's answers do not fit this workflow.");

        var given = answers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value.Trim());
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var all = content.AllTasks().ToList();
        var stages = new List<PreviewStage>();
        for (var s = 0; s < content.Stages.Count; s++)
        {
            var stage = content.Stages[s];
            var tasks = new List<PreviewTask>();
            foreach (var task in stage.Tasks ?? []) tasks.Add(Walk(task, null));
            foreach (var track in stage.Tracks ?? [])
            foreach (var task in track.Tasks)
                tasks.Add(Walk(task, track.Name));
            stages.Add(new PreviewStage(s + 1, stage.Name, tasks) { Join = stage.Join.ToString() });
        }

        return new WorkflowPreview(definition.Id, chosen.Version, content.Name,
            [.. inputs.Select(i => i with { Value = given.GetValueOrDefault(i.Name) })], stages)
        {
            Attributes =
            [
                .. content.AllTasks().SelectMany(t => t.Guard()?.AllConditions() ?? [])
                    .Select(c => c.Attribute).OfType<string>().Distinct()
                    .Where(ClientAttributeNames.Values.ContainsKey)
                    .Select(a => new PreviewInput(a, AttributeLabel(a), "choice", ClientAttributeNames.Values[a], client.GetValueOrDefault(a))),
            ],
        };

        // As the engine: a result of a skipped task was never given; an attribute not chosen is not known.
        PreviewTask Walk(TaskSpec task, string? track)
        {
            var state = PreviewTaskState.Asked;
            var guard = task.Guard();
            if (guard is not null && !ConditionWords.Holds(guard, c => c.Attribute is { } a
                    ? client.GetValueOrDefault(a)
                    : skipped.Contains(c.TaskKey ?? string.Empty) ? null : given.GetValueOrDefault(Name(c))))
                state = PreviewTaskState.Skipped;
            if (state == PreviewTaskState.Skipped) skipped.Add(task.Key);
            return new PreviewTask(task.Key, WorkflowSubjects.TitleFor(task, catalog), task.DueInDays, state,
                guard is null ? null : $"Only when {ConditionWords.Describe(guard, all, catalog)}") { Track = track };
        }
    }

    private static string AttributeLabel(string attribute) => attribute switch
    {
        ClientAttributeNames.Billing => "The client bills",
        ClientAttributeNames.Minor => "The client is a minor",
        _ => "The client's language",
    };

    /// <summary>"phq9.score": the answer a condition reads, as the preview names it.</summary>
    public static string Name(TaskCondition condition) => $"{condition.TaskKey}.{ConditionWords.Field(condition)}";

    private static List<PreviewInput> Inputs(WorkflowContent content, IReadOnlyList<CatalogItem> catalog)
    {
        var tasks = content.AllTasks().ToList();
        return
        [
            .. tasks.SelectMany(t => t.Guard()?.AllConditions() ?? []).Where(c => c.Attribute is null)
                .DistinctBy(Name)
                .Select(c =>
                {
                    var source = tasks.FirstOrDefault(t => t.Key == c.TaskKey);
                    var field = ConditionWords.Field(c);
                    var label = source is null ? Name(c) : ConditionWords.Subject(source, field, catalog);
                    label = char.ToUpperInvariant(label[0]) + label[1..];
                    return source?.Kind == TaskKind.CompleteAssessment
                        ? field == "severity"
                            ? new PreviewInput(Name(c), label, "choice", ConditionWords.SeverityBands, null)
                            : new PreviewInput(Name(c), label, "number", [], null)
                        : new PreviewInput(Name(c), label, "text", [], null);
                }),
        ];
    }
}

/// <summary>
/// <c>POST /api/workflows/{id}/preview {version?, answers}</c>: the builder's "what would a client see", read only.
/// </summary>
public static class PreviewWorkflowEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverinePost("/api/workflows/{id}/preview"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(PreviewWorkflowRequest request, [NotBody] WorkflowDefinition definition,
        HttpContext http, IQuerySession session, CancellationToken cancellation)
    {
        var catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        return WorkflowPreviews.Build(definition, request.Version, request.Answers, catalog, request.Attributes).ToResult(http);
    }
}
