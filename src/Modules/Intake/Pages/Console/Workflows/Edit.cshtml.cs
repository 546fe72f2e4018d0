using Portal.BuildingBlocks.Concurrency;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;
using Portal.Intake.Dates;
using Portal.Intake.Roster;
using Portal.Intake.Triggers;

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

    /// <summary>The add-a-track form as it was sent, when refused.</summary>
    internal SentTrackForm? SentTrack { get; private set; }

    /// <summary>The dates a task may open or fall due from: the first session and the practice's own.</summary>
    internal IReadOnlyList<NamedDate> Dates { get; private set; } = [];

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

    /// <summary>Adds a task last to the stage's plain tasks, or last to one of its tracks.</summary>
    public Task<IActionResult> OnPostAddTaskAsync(int stage, int? track, TaskInput input, CancellationToken cancellation)
    {
        var typed = input.Apply(new TaskSpec("", input.Kind, input.SubjectId));
        Sent = new SentTaskForm(track is { } k ? SentTaskForm.AddTo(stage, k) : SentTaskForm.AddTo(stage), typed);
        // The new task goes last in its stage or track: that is where its errors are found.
        return EditAsync(c => track is { } k
                ? WorkflowBuilder.AddTrackTask(c, stage, k, TaskForm.Build(c, typed))
                : WorkflowBuilder.AddTask(c, stage, TaskForm.Build(c, typed)), cancellation,
            place: c => stage < 0 || stage >= c.Stages.Count ? null
                : track is not { } k ? new TaskPlace(typed, stage, null, c.Stages[stage].Tasks.Count).Path
                : k >= 0 && k < (c.Stages[stage].Tracks ?? []).Count ? new TaskPlace(typed, stage, k, c.Stages[stage].Tracks![k].Tasks.Count).Path
                : null);
    }

    /// <summary>Changes a task in place, in a stage or a track (the same edit as PUT .../versions/{version}/tasks/{key}).</summary>
    public Task<IActionResult> OnPostEditTaskAsync(string? key, TaskInput input, CancellationToken cancellation)
    {
        EditingKey = key;
        Sent = new SentTaskForm(SentTaskForm.Edit(key ?? string.Empty), input.Apply(new TaskSpec(key ?? string.Empty, default)));
        return EditAsync(c =>
            {
                if (key is null || TaskEdits.Find(c, key) is not { } place) return c;
                return TaskEdits.Apply(c, key, input.ToEdit(place.Task));
            }, cancellation,
            saved: $"Saved the changes to \u201c{key}\u201d.", place: c => key is null ? null : TaskEdits.Find(c, key)?.Path);
    }

    public Task<IActionResult> OnPostMoveTaskAsync(int stage, int? track, int task, int delta, int? to, CancellationToken cancellation) =>
        EditAsync(c => track is { } k ? WorkflowBuilder.MoveTrackTask(c, stage, k, task, Math.Sign(delta))
            : to is { } target ? WorkflowBuilder.MoveTaskTo(c, stage, task, target)
            : WorkflowBuilder.MoveTask(c, stage, task, Math.Sign(delta)), cancellation);

    public Task<IActionResult> OnPostRemoveTaskAsync(int stage, int? track, int task, CancellationToken cancellation) =>
        EditAsync(c => track is { } k ? WorkflowBuilder.RemoveTrackTask(c, stage, k, task) : WorkflowBuilder.RemoveTask(c, stage, task),
            cancellation);

    /// <summary>A new track in the stage, named, with its first task.</summary>
    public Task<IActionResult> OnPostAddTrackAsync(int stage, string? trackName, TaskKind kind, string? subjectId,
        CancellationToken cancellation)
    {
        SentTrack = new SentTrackForm(stage, trackName, kind, subjectId);
        return EditAsync(c => WorkflowBuilder.AddTrack(c, stage, trackName ?? string.Empty, TaskForm.Build(c, new TaskSpec("", kind, subjectId))),
            cancellation, saved: $"Added the track \u201c{trackName?.Trim()}\u201d.");
    }

    public Task<IActionResult> OnPostRemoveTrackAsync(int stage, int track, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.RemoveTrack(c, stage, track), cancellation);

    public Task<IActionResult> OnPostJoinAsync(int stage, AllOrAny join, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.SetJoin(c, stage, join), cancellation, saved: $"Saved when stage {stage + 1} is finished.");

    /// <summary>The "Start by itself" checkboxes: what starts the published version without anyone assigning it.</summary>
    public Task<IActionResult> OnPostTriggersAsync(List<WorkflowTrigger>? triggers, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.SetTriggers(c, triggers ?? []), cancellation, saved: "Saved when the workflow starts by itself.");

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
        string? saved = null, Func<WorkflowContent, string?>? place = null)
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
            if (Sent is not null && where is { } at) Sent.Errors = TaskEdits.ErrorsFor(errors, at);
            if (SentTrack is not null) SentTrack.Errors = errors;
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
        Dates = await PracticeWorkflowDates.ForPracticeAsync(session, definition.PracticeId, cancellation);
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
    /// What a condition of a task may test, grouped: the results of tasks done before it opens (every task of earlier
    /// stages, tracks' included, and the tasks before it in its own track) — an assessment's score and severity, a
    /// form's answers, each with the answers to choose from when they are a fixed set — then the client's attributes.
    /// </summary>
    internal IReadOnlyList<ConditionChoiceGroup> ConditionChoices(int stage, int? track = null, int index = 0)
    {
        var content = Definition.Latest.Content;
        var groups = new List<ConditionChoiceGroup>();
        foreach (var place in content.Places())
        {
            var earlier = place.Stage < stage || (track is not null && place.Stage == stage && place.Track == track && place.Index < index);
            if (!earlier) continue;
            var task = place.Task;
            IEnumerable<string> fields = task.Kind switch
            {
                TaskKind.CompleteAssessment => ["score", "severity"],
                TaskKind.CompleteIntakeForm => Catalog.FirstOrDefault(i => i.Id.ToString() == task.SubjectId)?.FieldKeys ?? [],
                _ => [],
            };
            var choices = fields
                .Select(f => new ConditionChoice($"{task.Key}|{f}", ConditionWords.Subject(task, f, Catalog), ConditionWords.Answers(task, f, Catalog)))
                .ToList();
            var where = place.Track is { } k && content.Stages[place.Stage].Tracks?[k] is { } inTrack
                ? $"Stage {place.Stage + 1}, {inTrack.Name}"
                : $"Stage {place.Stage + 1}";
            if (choices.Count > 0) groups.Add(new ConditionChoiceGroup($"{where}: {WorkflowSubjects.TitleFor(task, Catalog)}", choices));
        }

        groups.Add(new ConditionChoiceGroup("The client", ClientChoices));
        return groups;
    }

    /// <summary>Each client attribute's values as a whole condition ("client bills insurance"): nothing to type.</summary>
    internal static readonly IReadOnlyList<ConditionChoice> ClientChoices =
    [
        .. ClientAttributeNames.Values.SelectMany(a => a.Value.Select(v => new ConditionChoice(
            TaskInput.AttributeChoice(a.Key, v), ConditionWords.DescribeAttribute(a.Key, ConditionOperator.Equals, v), []))),
    ];

    /// <summary>A task's conditions in words ("client bills insurance and the PHQ-9 score is at least 10"), or null.</summary>
    internal string? WhenText(TaskSpec task) =>
        task.Guard() is { } guard ? ConditionWords.Describe(guard, Definition.Latest.Content, Catalog) : null;

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

    public static string AddTo(int stage, int track) => $"add-{stage}-{track}";

    public static string Edit(string key) => $"edit-{key}";

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}

/// <summary>The add-a-track form as it was sent: shown again as typed when refused, the errors of its stage beside it.</summary>
internal sealed class SentTrackForm(int stage, string? name, TaskKind kind, string? subject)
{
    public int Stage { get; } = stage;

    public string? Name { get; } = name;

    public TaskKind Kind { get; } = kind;

    public string? Subject { get; } = subject;

    public IReadOnlyList<(string Path, string Message)> Errors { get; set; } = [];

    /// <summary>What is wrong with the new track's name or task (the last track of the stage), for beside those fields.</summary>
    public string? Error(int tracks, string field)
    {
        var prefix = $"Stages[{Stage}].Tracks[{tracks}].";
        var messages = Errors.Where(e => field == "name" ? e.Path == $"{prefix}Name" : e.Path.StartsWith($"{prefix}Tasks", StringComparison.Ordinal))
            .Select(e => e.Message).Distinct().ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }
}

/// <summary>One row of a task's "Only when": what it tests ("phq9|score", "@billing=insurance"), how, and the value.</summary>
public sealed class ConditionRow
{
    public string? On { get; set; }

    public ConditionOperator Operator { get; set; }

    public string? Value { get; set; }
}

/// <summary>
/// A task form as sent (add or edit), as plain fields: when it opens and is due ("7 days before the first session"),
/// the repeat, optional or not, and the rows of its condition group. <see cref="Apply"/> turns it into the task the
/// validator judges; it never decides what is allowed (a due date "before" the stage's start is sent on as negative
/// days for the validator to refuse beside the field).
/// </summary>
public sealed class TaskInput
{
    /// <summary>How many condition rows a form offers at most (empty rows are ignored).</summary>
    public const int MaxRows = 5;

    public TaskKind Kind { get; set; }

    public string? SubjectId { get; set; }

    public string? Title { get; set; }

    public int? DueInDays { get; set; }

    public int? RemindEveryDays { get; set; }

    public int? MaxReminders { get; set; }

    /// <summary>"" (when the stage opens) or a date's name ("firstSession").</summary>
    public string? OpensDate { get; set; }

    public int? OpensDays { get; set; }

    /// <summary>"before" or "after" the date.</summary>
    public string? OpensWay { get; set; }

    /// <summary>"" (counted from when the task opens) or a date's name.</summary>
    public string? DueDate { get; set; }

    public string? DueWay { get; set; }

    public int? RepeatEveryWeeks { get; set; }

    public int? RepeatTimes { get; set; }

    public bool RepeatUntilDischarge { get; set; }

    public bool Optional { get; set; }

    public AllOrAny Match { get; set; }

    public List<ConditionRow> Conditions { get; set; } = [];

    internal static string AttributeChoice(string attribute, string value) => $"@{attribute}={value}";

    /// <summary>The drop-down value of a stored condition: "phq9|score" or "@billing=insurance".</summary>
    internal static string ChoiceOf(TaskCondition condition) =>
        condition.Attribute is { } attribute
            ? AttributeChoice(attribute, ClientAttributeNames.Known(attribute, condition.Value) ?? condition.Value)
            : TaskForm.ConditionOn(condition);

    /// <summary>The rows that were filled in, as conditions.</summary>
    internal IReadOnlyList<TaskCondition> FilledConditions() =>
    [
        .. Conditions.Where(r => r is not null && !string.IsNullOrWhiteSpace(r.On)).Select(r =>
        {
            var on = r.On!.Trim();
            if (!on.StartsWith('@')) return TaskForm.Condition(on, r.Operator, r.Value)!;
            // A client attribute is offered as a whole condition ("client bills insurance"): nothing typed is read.
            var parts = on[1..].Split('=', 2);
            return new TaskCondition(null, null, ConditionOperator.Equals, parts.Length == 2 ? parts[1] : string.Empty)
            {
                Attribute = parts[0],
            };
        }),
    ];

    /// <summary>The task with this form's settings (its key, kind and subject as given).</summary>
    internal TaskSpec Apply(TaskSpec task)
    {
        var edit = ToEdit(task);
        return task with
        {
            Title = string.IsNullOrWhiteSpace(edit.Title) ? null : edit.Title.Trim(),
            DueInDays = edit.DueInDays,
            RemindEveryDays = edit.RemindEveryDays,
            MaxReminders = edit.MaxReminders,
            Condition = null,
            When = edit.When,
            Opens = edit.Opens,
            Due = edit.Due,
            Repeat = edit.Repeat,
            Required = edit.Required,
        };
    }

    /// <summary>
    /// The in-place edit this form asks for. Nested groups, which the page does not edit (the API does), are kept as
    /// they were on <paramref name="existing"/>.
    /// </summary>
    internal EditTaskRequest ToEdit(TaskSpec existing)
    {
        var conditions = FilledConditions();
        var nested = existing.When?.Groups is { Count: > 0 } groups ? groups : null;
        var when = conditions.Count == 0 && nested is null ? null : new ConditionGroup(Match, conditions) { Groups = nested };
        var dueSign = DueWay == "before" ? -1 : 1;
        var opensSign = OpensWay == "before" ? -1 : 1;
        DateAnchor? opens = string.IsNullOrWhiteSpace(OpensDate)
            ? OpensDays is { } late and not 0 ? new DateAnchor(null, opensSign * late) : null
            : new DateAnchor(OpensDate.Trim(), opensSign * (OpensDays ?? 0));
        var relative = !string.IsNullOrWhiteSpace(DueDate);
        return new EditTaskRequest(Title, relative ? null : DueInDays * dueSign, RemindEveryDays, MaxReminders ?? 0)
        {
            When = when,
            Opens = opens,
            Due = relative ? new DateAnchor(DueDate!.Trim(), dueSign * (DueInDays ?? 0)) : null,
            Repeat = RepeatEveryWeeks is null && RepeatTimes is null && !RepeatUntilDischarge
                ? null
                : new RepeatSpec(RepeatEveryWeeks ?? 0, RepeatTimes, RepeatUntilDischarge),
            Required = !Optional,
        };
    }
}

/// <summary>What a task's settings form shows: the task (or what was typed), the dates and condition choices it offers.</summary>
internal sealed record TaskSettingsView(
    string Prefix, TaskSpec Shown, SentTaskForm? Sent, IReadOnlyList<NamedDate> Dates, IReadOnlyList<ConditionChoiceGroup> Choices)
{
    /// <summary>A date choice, the number of days and "before"/"after", read back from an anchor.</summary>
    public static (string Date, int? Days, string Way) Parts(DateAnchor? anchor, int? plainDays = null) => anchor switch
    {
        { Date: { } date } => (date, Math.Abs(anchor.OffsetDays), anchor.OffsetDays < 0 ? "before" : "after"),
        { } stageRelative => ("", Math.Abs(stageRelative.OffsetDays), stageRelative.OffsetDays < 0 ? "before" : "after"),
        _ => ("", plainDays, "after"),
    };

    /// <summary>The dates to offer, with one a task names that the practice no longer lists (so it is not lost).</summary>
    public IReadOnlyList<NamedDate> DatesWith(params string?[] named) =>
        [.. Dates, .. named.OfType<string>().Where(n => n.Length > 0 && Dates.All(d => d.Name != n)).Distinct().Select(n => new NamedDate(n, n))];

    /// <summary>The errors of these fields, joined, or null.</summary>
    public string? Error(params string[] fields)
    {
        var messages = fields.Select(f => Sent?.Error(f)).OfType<string>().Distinct().ToList();
        return messages.Count == 0 ? null : string.Join(" ", messages);
    }
}

/// <summary>One task of the builder's lists: where it stands (a stage's plain tasks or a track) and its neighbours.</summary>
internal sealed record TaskItemView(EditWorkflowModel Page, TaskSpec Task, int Stage, int? Track, int Index, int Count);
