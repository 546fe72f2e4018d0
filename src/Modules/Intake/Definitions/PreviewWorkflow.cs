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
public sealed record PreviewWorkflowRequest(int? Version = null, IReadOnlyDictionary<string, string>? Answers = null);

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
    string? Condition);

internal sealed record PreviewStage(int Number, string Name, IReadOnlyList<PreviewTask> Tasks);

/// <summary>A result that a condition tests, for which the provider may choose an answer.</summary>
internal sealed record PreviewInput(string Name, string Label, string Kind, IReadOnlyList<string> Choices, string? Value);

internal sealed record WorkflowPreview(
    Guid DefinitionId, int Version, string Name, IReadOnlyList<PreviewInput> Inputs, IReadOnlyList<PreviewStage> Stages);

internal static class WorkflowPreviews
{
    public const int MaxAnswers = 100;

    /// <summary>
    /// Walks the stages as the engine does (<c>AssignmentProcess</c>): a task with a condition is asked only when the
    /// result it tests was given and matches; a result of a skipped task was never given.
    /// </summary>
    public static Outcome<WorkflowPreview> Build(WorkflowDefinition definition, int? version,
        IReadOnlyDictionary<string, string>? answers, IReadOnlyList<CatalogItem> catalog)
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
        if (errors.Count > 0) return Refusal.Invalid(errors, "The preview's answers do not fit this workflow.");

        var given = answers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value.Trim());
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var stages = new List<PreviewStage>();
        for (var s = 0; s < content.Stages.Count; s++)
        {
            var tasks = new List<PreviewTask>();
            foreach (var task in content.Stages[s].Tasks)
            {
                var state = PreviewTaskState.Asked;
                if (task.Condition is { } condition)
                {
                    var actual = skipped.Contains(condition.TaskKey ?? string.Empty)
                        ? null
                        : given.GetValueOrDefault(Name(condition));
                    if (!ConditionWords.Matches(condition.Operator, actual, condition.Value)) state = PreviewTaskState.Skipped;
                }
                if (state == PreviewTaskState.Skipped) skipped.Add(task.Key);
                tasks.Add(new PreviewTask(task.Key, WorkflowSubjects.TitleFor(task, catalog), task.DueInDays, state,
                    task.Condition is { } c ? $"Only when {ConditionWords.Describe(c, content, catalog)}" : null));
            }
            stages.Add(new PreviewStage(s + 1, content.Stages[s].Name, tasks));
        }

        return new WorkflowPreview(definition.Id, chosen.Version, content.Name,
            [.. inputs.Select(i => i with { Value = given.GetValueOrDefault(i.Name) })], stages);
    }

    /// <summary>"phq9.score": the answer a condition reads, as the preview names it.</summary>
    public static string Name(TaskCondition condition) => $"{condition.TaskKey}.{ConditionWords.Field(condition)}";

    private static List<PreviewInput> Inputs(WorkflowContent content, IReadOnlyList<CatalogItem> catalog)
    {
        var tasks = content.AllTasks().ToList();
        return
        [
            .. tasks.Where(t => t.Condition is not null).Select(t => t.Condition!)
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
        return WorkflowPreviews.Build(definition, request.Version, request.Answers, catalog).ToResult(http);
    }
}
