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
public sealed class EditWorkflowModel(IDocumentSession session, TimeProvider clock) : PageModel
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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(cancellation) ? Page() : NotFound();

    public Task<IActionResult> OnPostRenameAsync(string? name, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.Rename(c, name ?? string.Empty), cancellation);

    public Task<IActionResult> OnPostAddStageAsync(string? stageName, TaskKind kind, string? subjectId, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.AddStage(c, stageName ?? string.Empty, TaskForm.Build(c, new TaskSpec("", kind, subjectId))), cancellation);

    public Task<IActionResult> OnPostMoveStageAsync(int stage, int delta, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.MoveStage(c, stage, Math.Sign(delta)), cancellation);

    public Task<IActionResult> OnPostRemoveStageAsync(int stage, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.RemoveStage(c, stage), cancellation);

    public Task<IActionResult> OnPostAddTaskAsync(int stage, TaskKind kind, string? subjectId, string? title, int? dueInDays, int? remindEveryDays,
        int? maxReminders, string? conditionTask, string? conditionField, ConditionOperator conditionOperator, string? conditionValue,
        CancellationToken cancellation)
    {
        var condition = string.IsNullOrWhiteSpace(conditionTask)
            ? null
            : new TaskCondition(conditionTask, string.IsNullOrWhiteSpace(conditionField) ? null : conditionField.Trim(),
                conditionOperator, conditionValue?.Trim() ?? string.Empty);
        return EditAsync(c => WorkflowBuilder.AddTask(c, stage,
            TaskForm.Build(c, new TaskSpec("", kind, subjectId, title, dueInDays, remindEveryDays, maxReminders ?? 0, condition))), cancellation);
    }

    public Task<IActionResult> OnPostMoveTaskAsync(int stage, int task, int delta, CancellationToken cancellation) =>
        EditAsync(c => WorkflowBuilder.MoveTask(c, stage, task, Math.Sign(delta)), cancellation);

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

    private async Task<IActionResult> EditAsync(Func<WorkflowContent, WorkflowContent> edit, CancellationToken cancellation)
    {
        await EditLock.LockAsync<WorkflowDefinition>(session, Id, cancellation);
        if (!await LoadAsync(cancellation)) return NotFound();
        if (IsStale()) return Page();
        var content = edit(Definition.Latest.Content);
        Errors = await WorkflowBuilder.CheckAsync(session, content, Definition.PracticeId, cancellation);
        if (Errors.Count > 0) return Page();
        Definition.SaveDraft(content, clock.GetUtcNow());
        session.Store(Definition);
        await session.SaveChangesAsync(cancellation);
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
        return true;
    }

    internal string Subject(TaskSpec task) => task.Kind switch
    {
        TaskKind.CompleteAssessment => task.SubjectId?.ToUpperInvariant() ?? string.Empty,
        TaskKind.SignDocument or TaskKind.CompleteIntakeForm =>
            Catalog.FirstOrDefault(i => i.Id.ToString() == task.SubjectId)?.Title ?? task.SubjectId ?? string.Empty,
        _ => string.Empty,
    };
}
