using FluentValidation;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Definitions;

/// <summary>
/// The settings of one task that change in place: what the client reads, when it opens and is due, the reminders,
/// the repeat, whether the stage waits for it, and when it is asked for at all. Its key, kind and subject stay (another
/// document or form is another task: remove it and add that one). Every setting is replaced: one left out is cleared.
/// </summary>
public sealed record EditTaskRequest(
    string? Title = null,
    int? DueInDays = null,
    int? RemindEveryDays = null,
    int MaxReminders = 0,
    TaskCondition? Condition = null)
{
    /// <summary>The conditions of format 2 (all or any of them); give these or the single <see cref="Condition"/>.</summary>
    public ConditionGroup? When { get; init; }

    public DateAnchor? Opens { get; init; }

    public DateAnchor? Due { get; init; }

    public RepeatSpec? Repeat { get; init; }

    /// <summary>False: the stage does not wait for it.</summary>
    public bool Required { get; init; } = true;
}

/// <summary>What can be judged before the definition is read: a title over the limit is refused for any workflow.</summary>
internal sealed class EditTaskRequestValidator : AbstractValidator<EditTaskRequest>
{
    public EditTaskRequestValidator() =>
        RuleFor(r => r.Title).MaximumLength(160).WithMessage("A task title has at most 160 characters.");
}

/// <summary>The in-place edit as a pure function, shared by the endpoint and the builder page.</summary>
internal static class TaskEdits
{
    /// <summary>Where the task with this key is (a stage's plain task or a track's); null when there is none.</summary>
    public static TaskPlace? Find(WorkflowContent content, string key) =>
        content.Places().FirstOrDefault(p => p.Task.Key == key);

    /// <summary>The task with this key changed wherever it stands, every other task as it was.</summary>
    public static WorkflowContent Apply(WorkflowContent content, string key, EditTaskRequest changes) =>
        content with
        {
            Stages =
            [
                .. content.Stages.Select(stage => stage with
                {
                    Tasks = [.. (stage.Tasks ?? []).Select(task => task.Key != key ? task : Change(task, changes))],
                    Tracks = stage.Tracks is null
                        ? null
                        : [.. stage.Tracks.Select(track => track with
                        {
                            Tasks = [.. (track.Tasks ?? []).Select(task => task.Key != key ? task : Change(task, changes))],
                        })],
                }),
            ],
        };

    private static TaskSpec Change(TaskSpec task, EditTaskRequest changes) => task with
    {
        Title = string.IsNullOrWhiteSpace(changes.Title) ? null : changes.Title.Trim(),
        DueInDays = changes.DueInDays,
        RemindEveryDays = changes.RemindEveryDays,
        MaxReminders = changes.MaxReminders,
        Condition = changes.Condition is { } c ? Tidy(c) : null,
        When = changes.When is { } when ? Tidy(when) : null,
        Opens = changes.Opens,
        Due = changes.Due,
        Repeat = changes.Repeat,
        Required = changes.Required,
    };

    // A missing condition or group is left in place for the validator to name (never dropped silently).
    private static ConditionGroup Tidy(ConditionGroup group) => group with
    {
        Conditions = [.. (group.Conditions ?? []).Select(c => c is null ? c! : Tidy(c))],
        Groups = group.Groups?.Select(g => g is null ? g! : Tidy(g)).ToList(),
    };

    private static TaskCondition Tidy(TaskCondition c) =>
        c with { Field = string.IsNullOrWhiteSpace(c.Field) ? null : c.Field.Trim(), Value = c.Value?.Trim() ?? string.Empty };

    /// <summary>
    /// The content's errors under the request's own field names ("dueInDays", "when.conditions[0].value",
    /// "repeat.everyWeeks"): the edited task is the only one that changed, so its path ("Stages[1].Tracks[0].Tasks[2]")
    /// is dropped; anything else keeps its full path.
    /// </summary>
    public static Dictionary<string, string[]> ErrorsFor(IEnumerable<(string Path, string Message)> errors, string taskPath)
    {
        var prefix = $"{taskPath}.";
        return errors
            .Select(e => (Field: Camel(e.Path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? e.Path[prefix.Length..] : e.Path),
                e.Message))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).Distinct().ToArray());
    }

    private static string Camel(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}

/// <summary>
/// <c>PUT /api/workflows/{id}/versions/{version}/tasks/{key}?expectedRevision=N</c>: changes one task of the draft in
/// place. Only a draft changes: a published (or superseded) version answers 409, since assignments run on it as it
/// was published; save a draft (<c>PUT .../draft</c>) to start the next version.
/// </summary>
public static class EditTaskEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        Definitions.LoadOwnForEditAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id, int? expectedRevision, HttpContext http) =>
        Definitions.MustBeCurrent(definition, id, expectedRevision, http);

    [WolverinePut("/api/workflows/{id}/versions/{version}/tasks/{key}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(int version, string key, EditTaskRequest request, [NotBody] WorkflowDefinition definition,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var target = definition.Versions.FirstOrDefault(v => v.Version == version);
        if (target is null) return Refusal.NotFound("version").ToProblem(http);
        if (target.Status != DefinitionStatus.Draft)
            return Refusal.Conflict($"Version {version} is {target.Status.ToString().ToLowerInvariant()} and does not change.",
                "Assignments run on a version as it was published. Save a draft (PUT /api/workflows/{id}/draft) to start " +
                $"version {definition.Latest.Version + 1}, then edit its tasks.").ToProblem(http);
        if (TaskEdits.Find(target.Content, key) is not { } place) return Refusal.NotFound("task").ToProblem(http);

        var content = TaskEdits.Apply(target.Content, key, request);
        var shape = new WorkflowContentValidator().Validate(content);
        var errors = shape.IsValid
            ? (await WorkflowSubjects.FindUnknownAsync(session, content, definition.PracticeId, cancellation))
                .SelectMany(e => e.Value.Select(m => (e.Key, m)))
            : shape.Errors.Select(e => (e.PropertyName, e.ErrorMessage));
        var invalid = TaskEdits.ErrorsFor(errors, place.Path);
        if (invalid.Count > 0) return Refusal.Invalid(invalid, "The task cannot be saved like this.").ToProblem(http);

        definition.SaveDraft(content, clock.GetUtcNow());
        session.Store(definition);
        return Results.Ok(DefinitionView.From(definition));
    }
}
