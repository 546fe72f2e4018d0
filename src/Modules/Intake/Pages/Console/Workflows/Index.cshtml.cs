using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Contracts;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;
using Portal.Intake.Migrating;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// The provider's workflows beside the practice library (copy one; the owner shares and takes back), the starters to
/// copy, a new workflow (name, first stage and task), and import from JSON. Each action is the API's slice.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class WorkflowsModel(IDocumentSession session, TimeProvider clock, IAuthorizationService authorization) : PageModel
{
    internal IReadOnlyList<WorkflowDefinition> Definitions { get; private set; } = [];

    /// <summary>The member's own workflows.</summary>
    internal IReadOnlyList<WorkflowDefinition> Own { get; private set; } = [];

    /// <summary>Other members' workflows in the practice library.</summary>
    internal IReadOnlyList<WorkflowDefinition> Library { get; private set; } = [];

    /// <summary>Other members' workflows outside the library (only the owner sees them).</summary>
    internal IReadOnlyList<WorkflowDefinition> Others { get; private set; } = [];

    internal IReadOnlyList<StarterView> Starters { get; } = [.. StarterWorkflows.All.Select(StarterWorkflows.View)];

    /// <summary>Running assignments on a version older than the published one, per workflow (those the member sees).</summary>
    internal IReadOnlyDictionary<Guid, int> OnOlderVersions { get; private set; } = new Dictionary<Guid, int>();

    internal bool IsOwner { get; private set; }

    internal string? Saved { get; private set; }

    internal IReadOnlyList<CatalogItem> Catalog { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    /// <summary>The new workflow's name, first stage, task kind and subject as sent, shown again when refused.</summary>
    internal (string? Name, string? StageName, TaskKind? Kind, string? Subject) Typed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellation)
    {
        Saved = TempData["Saved"] as string;
        await LoadAsync(cancellation);
    }

    internal WorkflowCard Card(WorkflowDefinition definition)
    {
        var own = definition.ProviderId == CurrentUser.From(User)!.ProviderId;
        return new WorkflowCard(definition, MayCopy: !own, MayShare: IsOwner, OnOlderVersions.GetValueOrDefault(definition.Id));
    }

    /// <summary>A workflow the member sees (their own or the library's) becomes a draft of their own: its builder opens.</summary>
    public async Task<IActionResult> OnPostCopyAsync(Guid definitionId, CancellationToken cancellation)
    {
        var definition = await global::Portal.Intake.Definitions.Definitions.LoadOwnAsync(session, definitionId, User, cancellation);
        if (definition is null) return NotFound();
        var copy = CopyWorkflowEndpoint.Copy(definition, HttpContext, session, clock);
        await session.SaveChangesAsync(cancellation);
        return Redirect($"/console/workflows/{copy.Id}");
    }

    public async Task<IActionResult> OnPostCopyStarterAsync(string? key, CancellationToken cancellation)
    {
        var copy = await CopyStarterWorkflowEndpoint.CopyAsync(key ?? string.Empty, HttpContext, session, clock, cancellation);
        if (!copy.Succeeded) return NotFound();
        await session.SaveChangesAsync(cancellation);
        return Redirect($"/console/workflows/{copy.Value.Id}");
    }

    /// <summary>The owner puts a published workflow in the practice library (as POST /api/workflows/{id}/library).</summary>
    public Task<IActionResult> OnPostShareAsync(Guid definitionId, CancellationToken cancellation) =>
        LibraryAsync(definitionId, definition => WorkflowLibrary.Share(definition, HttpContext, session, clock),
            "is in the practice library: every clinician of the practice can assign and copy it", cancellation);

    public Task<IActionResult> OnPostUnshareAsync(Guid definitionId, CancellationToken cancellation) =>
        LibraryAsync(definitionId, definition => WorkflowLibrary.Unshare(definition, HttpContext, session, clock),
            "is out of the practice library; assignments that run on it carry on", cancellation);

    private async Task<IActionResult> LibraryAsync(Guid definitionId, Func<WorkflowDefinition, Outcome<WorkflowDefinition>> change,
        string done, CancellationToken cancellation)
    {
        var definition = await WorkflowLibrary.LoadAsync(definitionId, User, session, cancellation);
        if (definition is null) return NotFound();
        if (!(await authorization.AuthorizeAsync(User, PortalPolicies.Owner)).Succeeded) return StatusCode(StatusCodes.Status403Forbidden);
        var outcome = change(definition);
        if (!outcome.Succeeded)
        {
            Errors = [$"{outcome.Refusal.Title} {outcome.Refusal.Detail}"];
            Response.StatusCode = outcome.Refusal.Status;
            await LoadAsync(cancellation);
            return Page();
        }

        await session.SaveChangesAsync(cancellation);
        TempData["Saved"] = $"\u201c{definition.Name}\u201d {done}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCreateAsync(
        string? name, string? stageName, TaskKind kind, string? subjectId, CancellationToken cancellation)
    {
        Typed = (name, stageName, kind, subjectId?.Trim());
        var content = new WorkflowContent(name?.Trim() ?? string.Empty,
            [new StageSpec(string.IsNullOrWhiteSpace(stageName) ? "Stage 1" : stageName.Trim(),
                [TaskForm.Build(new WorkflowContent("", []), new TaskSpec("", kind, subjectId))])]);
        return await CreateAsync(content, cancellation);
    }

    public async Task<IActionResult> OnPostImportAsync(string? json, CancellationToken cancellation)
    {
        WorkflowContent? content = null;
        try
        {
            content = JsonSerializer.Deserialize<WorkflowContent>(json ?? string.Empty, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }
        catch (JsonException)
        {
        }

        if (content?.Stages is null)
        {
            Errors = ["That is not a workflow export (JSON with a name and stages)."];
            await LoadAsync(cancellation);
            return Page();
        }

        return await CreateAsync(content, cancellation);
    }

    private async Task<IActionResult> CreateAsync(WorkflowContent content, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        Errors = await WorkflowBuilder.CheckAsync(session, content, user.PracticeId ?? Guid.Empty, cancellation);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(cancellation);
            return Page();
        }

        var definition = CreateWorkflowEndpoint.Create(content, user.ProviderId!.Value, user.PracticeId ?? Guid.Empty, clock.GetUtcNow());
        session.Store(definition);
        await session.SaveChangesAsync(cancellation);
        return Redirect($"/console/workflows/{definition.Id}");
    }

    private async Task LoadAsync(CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        Definitions = await global::Portal.Intake.Definitions.Definitions.VisibleToAsync(session, user, cancellation);
        IsOwner = user.IsOwner;
        Own = [.. Definitions.Where(d => d.ProviderId == user.ProviderId)];
        Library = [.. Definitions.Where(d => d.ProviderId != user.ProviderId && d.InLibrary)];
        Others = [.. Definitions.Where(d => d.ProviderId != user.ProviderId && !d.InLibrary)];
        OnOlderVersions = await OlderAssignments.CountsAsync(session, Definitions, user, cancellation);
        Catalog = await WorkflowBuilder.CatalogAsync(session, user.PracticeId ?? Guid.Empty, cancellation);
    }
}

/// <summary>One workflow's card on the workflows page: may the member copy it, share it (the owner), how many to move.</summary>
internal sealed record WorkflowCard(WorkflowDefinition Definition, bool MayCopy, bool MayShare, int OnOlderVersions);

/// <summary>
/// The task kind and subject drop-downs (<c>_TaskFields</c>): the ids' prefix, what may be chosen, what was chosen
/// before a refusal and the error about the subject.
/// </summary>
internal sealed record TaskFields(
    string Prefix, IReadOnlyList<CatalogItem> Catalog, TaskKind? Kind = null, string? Subject = null, string? Error = null);

/// <summary>Turns the builder's task form fields into a task.</summary>
internal static class TaskForm
{
    /// <summary>The task as the form filled it in: a subject only for the kinds that have one, trimmed, and a key new in the workflow.</summary>
    public static TaskSpec Build(WorkflowContent content, TaskSpec fields)
    {
        var subject = fields.Kind is TaskKind.AddInsurance or TaskKind.EnrollInAutopay ? null : fields.SubjectId?.Trim();
        return fields with
        {
            Key = WorkflowBuilder.NewKey(content, fields.Kind, subject),
            SubjectId = subject,
            Title = string.IsNullOrWhiteSpace(fields.Title) ? null : fields.Title.Trim(),
        };
    }

    /// <summary>
    /// The condition the builder's drop-downs chose: <paramref name="on"/> is "taskKey|field" (an earlier task and the
    /// result it tests); empty means always. A score is stored without a field, as the export format has it.
    /// </summary>
    public static TaskCondition? Condition(string? on, ConditionOperator op, string? value)
    {
        if (string.IsNullOrWhiteSpace(on)) return null;
        var parts = on.Split('|', 2);
        var field = parts.Length == 2 && parts[1] != "score" ? parts[1].Trim() : null;
        return new TaskCondition(parts[0].Trim(), field, op, value?.Trim() ?? string.Empty);
    }

    /// <summary>The drop-down value of a stored condition ("phq9|score").</summary>
    public static string ConditionOn(TaskCondition condition) => $"{condition.TaskKey}|{ConditionWords.Field(condition)}";

    public static string Describe(TaskKind kind) => kind switch
    {
        TaskKind.AddInsurance => "Add insurance",
        TaskKind.EnrollInAutopay => "Enroll in autopay",
        TaskKind.SignDocument => "Sign a document",
        TaskKind.CompleteIntakeForm => "Complete an intake form",
        _ => "Complete an assessment",
    };
}
