using Portal.BuildingBlocks.Concurrency;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;
using Portal.Intake.Roster;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// The workflow builder: stages and tasks of the draft (add, reorder up/down, remove, configure), publish, the form
/// that assigns the published version to clients (carried out by the Assign page), and how many clients stand at which stage.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class EditWorkflowModel(IDocumentSession session, TimeProvider clock, IPracticeLooks looks) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    /// <summary>The definition's revision the provider was looking at when they pressed a button.</summary>
    [BindProperty]
    public int? Revision { get; set; }

    internal WorkflowDefinition Definition { get; private set; } = null!;

    internal IReadOnlyList<CatalogItem> Catalog { get; private set; } = [];

    internal IReadOnlyList<IntakeClient> Clients { get; private set; } = [];

    internal WorkflowOverview? Overview { get; private set; }

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal string? Saved { get; private set; }

    /// <summary>The task whose edit form was sent and refused: its form stays open with the errors.</summary>
    internal string? EditingKey { get; private set; }

    /// <summary>The add-task or edit-task form as it was sent: shown again as typed, with its errors, when refused.</summary>
    internal SentTaskForm? Sent { get; private set; }

    /// <summary>The clients ticked in the assign form when nobody was assigned.</summary>
    internal IReadOnlySet<Guid> ChosenClients { get; private set; } = new HashSet<Guid>();

    /// <summary>The "Assign" section (_AssignForm.cshtml): null until a version is published.</summary>
    internal AssignForm? AssignForm { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(cancellation) ? Page() : NotFound();

    public Task<IActionResult> OnPostRenameAsync(string? name, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.Rename(c, name ?? string.Empty), cancellation);

    public Task<IActionResult> OnPostAddStageAsync(string? stageName, TaskKind kind, string? subjectId, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.AddStage(c, stageName ?? string.Empty, TaskForm.Build(c, new TaskSpec("", kind, subjectId))), cancellation);

    /// <summary>Up/down buttons send a delta; dragging a stage (script) sends the place it was dropped on.</summary>
    public Task<IActionResult> OnPostMoveStageAsync(int stage, int delta, int? to, CancellationToken cancellation) =>
        EditAsync(c => to is { } target ? WorkflowBuilder.MoveStageTo(c, stage, target) : WorkflowBuilder.MoveStage(c, stage, Math.Sign(delta)),
            cancellation);

    public Task<IActionResult> OnPostRemoveStageAsync(int stage, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.RemoveStage(c, stage), cancellation);

    public Task<IActionResult> OnPostAddTaskAsync(int stage, TaskKind kind, string? subjectId, string? title, int? dueInDays, int? remindEveryDays,
        int? maxReminders, string? conditionOn, ConditionOperator conditionOperator, string? conditionValue,
        CancellationToken cancellation)
    {
        var condition = TaskForm.Condition(conditionOn, conditionOperator, conditionValue);
        var typed = new TaskSpec("", kind, subjectId, title, dueInDays, remindEveryDays, maxReminders ?? 0, condition);
        Sent = new SentTaskForm(SentTaskForm.AddTo(stage), typed);
        // The new task goes last in its stage: that is where its errors are found.
        return EditAsync(c => WorkflowBuilder.AddTask(c, stage, TaskForm.Build(c, typed)), cancellation,
            place: c => stage >= 0 && stage < c.Stages.Count ? (stage, c.Stages[stage].Tasks.Count) : null);
    }

    /// <summary>Changes a task in place (the same edit as PUT /api/workflows/{id}/versions/{version}/tasks/{key}).</summary>
    public Task<IActionResult> OnPostEditTaskAsync(string? key, string? title, int? dueInDays, int? remindEveryDays, int? maxReminders,
        string? conditionOn, ConditionOperator conditionOperator, string? conditionValue, CancellationToken cancellation)
    {
        EditingKey = key;
        var changes = new EditTaskRequest(title, dueInDays, remindEveryDays, maxReminders ?? 0,
            TaskForm.Condition(conditionOn, conditionOperator, conditionValue));
        Sent = new SentTaskForm(SentTaskForm.Edit(key ?? string.Empty),
            new TaskSpec(key ?? string.Empty, default, null, title, dueInDays, remindEveryDays, maxReminders ?? 0, changes.Condition));
        return EditAsync(c => key is not null && TaskEdits.Find(c, key) is not null ? TaskEdits.Apply(c, key, changes) : c, cancellation,
            saved: $"Saved the changes to \u201c{key}\u201d.", place: c => key is null ? null : TaskEdits.Find(c, key));
    }

    public Task<IActionResult> OnPostMoveTaskAsync(int stage, int task, int delta, int? to, CancellationToken cancellation) =>
        EditAsync(c => to is { } target
            ? WorkflowBuilder.MoveTaskTo(c, stage, task, target)
            : WorkflowBuilder.MoveTask(c, stage, task, Math.Sign(delta)), cancellation);

    public Task<IActionResult> OnPostRemoveTaskAsync(int stage, int task, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.RemoveTask(c, stage, task), cancellation);

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        await EditLock.LockAsync<WorkflowDefinition>(session, Id, cancellation);
        if (!await LoadAsync(cancellation)) return NotFound();
        if (IsStale()) return Page();
        if (Definition.Latest.Status != DefinitionStatus.Draft) return Page();
        Errors = await WorkflowBuilder.CheckAsync(session, Definition.Latest.Content, Definition.PracticeId, cancellation);
        if (Errors.Count > 0) return Page();
        Definition.PublishDraft(clock.GetUtcNow());
        session.Store(Definition);
        await session.SaveChangesAsync(cancellation);
        return RedirectToPage(new { id = Id });
    }

    /// <param name="place">Where the task a form sent stands, for showing each error beside its field.</param>
    private async Task<IActionResult> EditAsync(Func<WorkflowContent, WorkflowContent> edit, CancellationToken cancellation,
        string? saved = null, Func<WorkflowContent, (int Stage, int Index)?>? place = null)
    {
        await EditLock.LockAsync<WorkflowDefinition>(session, Id, cancellation);
        if (!await LoadAsync(cancellation)) return NotFound();
        if (IsStale()) return Page();
        var where = place?.Invoke(Definition.Latest.Content);
        var content = edit(Definition.Latest.Content);
        var errors = await WorkflowBuilder.CheckFieldsAsync(session, content, Definition.PracticeId, cancellation);
        if (errors.Count > 0)
        {
            Errors = [.. errors.Select(e => e.Message).Distinct()];
            if (Sent is not null && where is { } at) Sent.Errors = TaskEdits.ErrorsFor(errors, at.Stage, at.Index);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Definition.SaveDraft(content, clock.GetUtcNow());
        session.Store(Definition);
        await session.SaveChangesAsync(cancellation);
        if (saved is not null) TempData["Saved"] = saved;
        return RedirectToPage(new { id = Id });
    }

    /// <summary>A button pressed on an older revision of the page: nothing changes, the page says why (409).</summary>
    private bool IsStale()
    {
        if (Revision == Definition.Revision) return false;
        Errors = [Definitions.Definitions.StaleMessage(Definition)];
        Response.StatusCode = StatusCodes.Status409Conflict;
        return true;
    }

    private async Task<bool> LoadAsync(CancellationToken cancellation)
    {
        var definition = await Definitions.Definitions.LoadOwnAsync(session, Id, User, cancellation);
        if (definition is null) return false;
        Definition = definition;
        Catalog = await WorkflowBuilder.CatalogAsync(session, definition.PracticeId, cancellation);
        Clients = (await session.Query<IntakeClient>().VisibleTo(CurrentUser.From(User)!).ToListAsync(cancellation))
            .OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ToList();
        Overview = await WorkflowOverviewEndpoint.ForDefinitionAsync(session, definition.Id, definition.Name, cancellation);
        Saved = TempData["Saved"] as string;
        if (TempData[AssignWorkflowModel.RefusedKey] is string refused) Errors = [refused];
        // TempData reads a single id back as a Guid, several as a string: both are read through their text.
        if (TempData[AssignWorkflowModel.ChosenKey]?.ToString() is { Length: > 0 } chosen)
            ChosenClients = chosen.Split(',').Select(id => Guid.TryParse(id, out var g) ? g : Guid.Empty).ToHashSet();
        AssignForm = await AssignForm.ForAsync(session, looks, definition, Clients, ChosenClients, cancellation);
        return true;
    }

    /// <summary>
    /// The results of earlier stages that a condition of a task in <paramref name="stage"/> may test, grouped by task:
    /// an assessment's score and severity, a form's answers (its fields), each with the answers to choose from when
    /// they are a fixed set (a severity band, a choice field's options).
    /// </summary>
    internal IReadOnlyList<ConditionChoiceGroup> ConditionChoices(int stage)
    {
        var content = Definition.Latest.Content;
        var groups = new List<ConditionChoiceGroup>();
        for (var s = 0; s < stage && s < content.Stages.Count; s++)
        foreach (var task in content.Stages[s].Tasks)
        {
            IEnumerable<string> fields = task.Kind switch
            {
                TaskKind.CompleteAssessment => ["score", "severity"],
                TaskKind.CompleteIntakeForm => Catalog.FirstOrDefault(i => i.Id.ToString() == task.SubjectId)?.FieldKeys ?? [],
                _ => [],
            };
            var choices = fields
                .Select(f => new ConditionChoice($"{task.Key}|{f}", ConditionWords.Subject(task, f, Catalog), ConditionWords.Answers(task, f, Catalog)))
                .ToList();
            if (choices.Count > 0) groups.Add(new ConditionChoiceGroup($"Stage {s + 1}: {WorkflowSubjects.TitleFor(task, Catalog)}", choices));
        }
        return groups;
    }

    /// <summary>The condition in words, for the task list.</summary>
    internal string ConditionText(TaskCondition condition) =>
        ConditionWords.Describe(condition, Definition.Latest.Content, Catalog);

    internal string Subject(TaskSpec task) => task.Kind switch
    {
        TaskKind.CompleteAssessment => task.SubjectId?.ToUpperInvariant().Replace("PHQ9", "PHQ-9").Replace("GAD7", "GAD-7") ?? string.Empty,
        TaskKind.SignDocument or TaskKind.CompleteIntakeForm =>
            Catalog.FirstOrDefault(i => i.Id.ToString() == task.SubjectId)?.Title ?? task.SubjectId ?? string.Empty,
        _ => string.Empty,
    };
}

/// <summary>A result a condition may test ("phq9|score"), as the drop-down reads it, and the answers it is chosen from.</summary>
internal sealed record ConditionChoice(string Value, string Label, IReadOnlyList<(string Value, string Label)> Answers);

internal sealed record ConditionChoiceGroup(string Group, IReadOnlyList<ConditionChoice> Choices);

/// <summary>
/// A task form as it was sent ("add-0": add to stage 1; "edit-phq9": the task phq9), kept so that a refused form
/// comes back as typed, each error beside its field ("dueInDays", "condition.value").
/// </summary>
internal sealed class SentTaskForm(string form, TaskSpec typed)
{
    public string Form { get; } = form;

    public TaskSpec Typed { get; } = typed;

    public IReadOnlyDictionary<string, string[]> Errors { get; set; } = new Dictionary<string, string[]>();

    public static string AddTo(int stage) => $"add-{stage}";

    public static string Edit(string key) => $"edit-{key}";

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
