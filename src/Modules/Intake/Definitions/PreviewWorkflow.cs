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

    /// <summary>The assignment's dates to preview with, practice-local: <c>{ "firstSession": "2027-01-15T15:00" }</c>.</summary>
    public IReadOnlyDictionary<string, string?>? Dates { get; init; }
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

    /// <summary>When it opens and falls due, in words: "Opens 7 days before the first session; due 2 days before ...".</summary>
    public string? Schedule { get; init; }

    /// <summary>"every 2 weeks until discharge" for a repeating task.</summary>
    public string? Repeat { get; init; }

    /// <summary>"Waiting for the first-session date.": it opens from a date the preview was not given.</summary>
    public string? Waiting { get; init; }

    /// <summary>The day it opens, practice-local, when it opens from a date the preview was given.</summary>
    public DateOnly? OpensOn { get; init; }

    /// <summary>The day it is due, practice-local, when that comes from a date the preview was given.</summary>
    public DateOnly? DueOn { get; init; }
}

internal sealed record PreviewStage(int Number, string Name, IReadOnlyList<PreviewTask> Tasks)
{
    /// <summary>"All" or "Any": whether the stage waits for all its tracks or for the first one done.</summary>
    public string Join { get; init; } = nameof(AllOrAny.All);
}

/// <summary>The dates to preview with: their practice-local values, the practice's named dates and its zone.</summary>
internal sealed record PreviewDates(
    IReadOnlyDictionary<string, string?>? Values, IReadOnlyList<Dates.NamedDate> Named, TimeZoneInfo Zone);

/// <summary>A result that a condition tests, for which the provider may choose an answer.</summary>
internal sealed record PreviewInput(string Name, string Label, string Kind, IReadOnlyList<string> Choices, string? Value);

internal sealed record WorkflowPreview(
    Guid DefinitionId, int Version, string Name, IReadOnlyList<PreviewInput> Inputs, IReadOnlyList<PreviewStage> Stages)
{
    /// <summary>The client attributes this version's conditions read, with the value chosen for the preview.</summary>
    public IReadOnlyList<PreviewInput> Attributes { get; init; } = [];

    /// <summary>The dates this version's tasks open or fall due from (the first session among them), with the value given.</summary>
    public IReadOnlyList<PreviewInput> Dates { get; init; } = [];
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
        IReadOnlyDictionary<string, string>? attributes = null, PreviewDates? dates = null)
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
        // Dates as an assignment reads them: practice-local in the practice's zone, a name the version or practice knows.
        var zone = dates?.Zone ?? Portal.BuildingBlocks.Time.PortalTime.DefaultZone;
        var named = dates?.Named ?? [Dates.PracticeWorkflowDates.FirstSession];
        var used = Engine.TaskDates.NamesUsed(content.Stages).ToList();
        var dateNames = named.Select(d => d.Name).Concat(used).Distinct(StringComparer.Ordinal).ToList();
        var planDates = new Dictionary<string, Engine.AssignmentDate>(StringComparer.Ordinal);
        var typedDates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in dates?.Values ?? new Dictionary<string, string?>())
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            typedDates[name] = value.Trim();
            if (!dateNames.Contains(name))
                errors[$"dates.{name}"] = [$"'{name}' is not one of the practice's dates: {string.Join(", ", dateNames)}."];
            else if (Dates.AssignmentDates.Read(value, zone) is not { } at) errors[$"dates.{name}"] = [Dates.AssignmentDates.NotATime(zone)];
            else planDates[name] = new Engine.AssignmentDate { Value = at, Local = value.Trim(), Zone = zone.Id };
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
            Dates =
            [
                .. (used.Count == 0 ? [] : used.Prepend(Engine.TaskDates.FirstSession).Distinct(StringComparer.Ordinal))
                    .Select(d => new PreviewInput(d, DateLabel(d, named), "date", [], typedDates.GetValueOrDefault(d))),
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
            var dated = new[] { task.Opens?.Date, Engine.TaskDates.DueOf(task)?.Date }.OfType<string>().ToList();
            var missing = dated.FirstOrDefault(d => !planDates.ContainsKey(d));
            return new PreviewTask(task.Key, WorkflowSubjects.TitleFor(task, catalog), task.DueInDays, state,
                guard is null ? null : $"Only when {ConditionWords.Describe(guard, all, catalog)}")
            {
                Track = track,
                Schedule = Dates.DateWords.Schedule(task, named),
                Repeat = task.Repeat is { } repeat ? Dates.DateWords.Repeat(repeat) : null,
                Waiting = missing is null ? null : Engine.TaskDates.WaitingSentence(missing),
                OpensOn = missing is null && task.Opens is { Date: { } opensFrom } opens
                    ? Day(Engine.TaskDates.StartOfDay(planDates[opensFrom], opens.OffsetDays))
                    : null,
                DueOn = missing is null && Engine.TaskDates.DueOf(task) is { Date: { } dueFrom } due
                    ? Day(Engine.TaskDates.EndOfDay(planDates[dueFrom], due.OffsetDays))
                    : null,
            };
        }

        DateOnly Day(DateTimeOffset at) => Portal.BuildingBlocks.Time.PortalTime.Day(at, zone);
    }

    private static string DateLabel(string name, IReadOnlyList<Dates.NamedDate> named)
    {
        var words = Dates.DateWords.DateName(name, named)["the ".Length..];
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>The practice's dates and zone, for previewing with <paramref name="values"/>.</summary>
    public static async Task<PreviewDates> DatesAsync(IQuerySession session, IPracticeLooks looks, Guid practiceId,
        IReadOnlyDictionary<string, string?>? values, CancellationToken cancellation) =>
        new(values, await Dates.PracticeWorkflowDates.ForPracticeAsync(session, practiceId, cancellation),
            await Dates.AssignmentDates.ZoneAsync(looks, practiceId, cancellation));

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
                    var answers = source is null ? [] : ConditionWords.Answers(source, field, catalog);
                    if (answers.Count > 0) return new PreviewInput(Name(c), label, "choice", [.. answers.Select(a => a.Value)], null);
                    return source?.Kind == TaskKind.CompleteAssessment
                        ? new PreviewInput(Name(c), label, "number", [], null)
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
        HttpContext http, IQuerySession session, IPracticeLooks looks, CancellationToken cancellation)
    {
        var catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        var dates = await WorkflowPreviews.DatesAsync(session, looks, definition.PracticeId, request.Dates, cancellation);
        return WorkflowPreviews.Build(definition, request.Version, request.Answers, catalog, request.Attributes, dates).ToResult(http);
    }
}
