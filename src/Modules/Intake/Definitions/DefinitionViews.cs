using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;

namespace Portal.Intake.Definitions;

internal sealed record VersionView(
    int Version,
    [property: System.Text.Json.Serialization.JsonConverter(
        typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DefinitionStatus>))]
    DefinitionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PublishedAt);

internal sealed record DefinitionView(
    Guid Id,
    string Name,
    int LatestVersion,
    [property: System.Text.Json.Serialization.JsonConverter(
        typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DefinitionStatus>))]
    DefinitionStatus LatestStatus,
    int? PublishedVersion,
    IReadOnlyList<VersionView> Versions,
    WorkflowContent Latest,
    int Revision)
{
    /// <summary>In the practice library (<see cref="WorkflowLibrary"/>): every clinician of the practice sees and assigns it.</summary>
    public bool InLibrary { get; init; }

    /// <summary>The member who wrote it (a copy is its copier's).</summary>
    public Guid AuthorId { get; init; }

    public static DefinitionView From(WorkflowDefinition definition) => new(
        definition.Id,
        definition.Name,
        definition.Latest.Version,
        definition.Latest.Status,
        definition.Published?.Version,
        [.. definition.Versions.Select(v => new VersionView(v.Version, v.Status, v.CreatedAt, v.PublishedAt))],
        definition.Latest.Content,
        definition.Revision)
    {
        InLibrary = definition.InLibrary,
        AuthorId = definition.ProviderId,
    };
}

internal static class Definitions
{
    /// <summary>
    /// The definition when the signed-in member may see it (<see cref="IsVisibleTo"/>); null (answer 404) otherwise.
    /// </summary>
    public static async Task<WorkflowDefinition?> LoadOwnAsync(
        IQuerySession session, Guid id, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is null) return null;
        var definition = await session.LoadAsync<WorkflowDefinition>(id, cancellation);
        return definition is not null && IsVisibleTo(definition, user) ? definition : null;
    }

    /// <summary>
    /// A definition is its author's: a clinician sees their own and the practice library's; the owner and the front
    /// desk see all of the practice's (the owner shares them, the front desk assigns them). Other practices see none.
    /// </summary>
    public static bool IsVisibleTo(WorkflowDefinition definition, CurrentUser user) =>
        user is { IsProvider: true, PracticeId: { } practiceId } && definition.PracticeId == practiceId
        && (user.StaffRole != StaffRole.Clinician || definition.InLibrary || definition.ProviderId == user.ProviderId);

    /// <summary>Who changes a definition: its author and the practice's owner; a library workflow is copied, not edited.</summary>
    public static bool MayEdit(WorkflowDefinition definition, CurrentUser user) =>
        IsVisibleTo(definition, user) && (user.IsOwner || definition.ProviderId == user.ProviderId);

    /// <summary>The practice's definitions the member may see, by name.</summary>
    public static async Task<IReadOnlyList<WorkflowDefinition>> VisibleToAsync(
        IQuerySession session, CurrentUser user, CancellationToken cancellation)
    {
        if (user is not { IsProvider: true, PracticeId: { } practiceId }) return [];
        var query = session.Query<WorkflowDefinition>().Where(d => d.PracticeId == practiceId);
        if (user.StaffRole == StaffRole.Clinician)
        {
            var memberId = user.ProviderId ?? Guid.Empty;
            query = query.Where(d => d.InLibrary || d.ProviderId == memberId);
        }
        var definitions = await query.ToListAsync(cancellation);
        return [.. definitions.OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>The provider's own definition, for an endpoint's declarative load (checked by <see cref="MustExist"/>).</summary>
    public static Task<WorkflowDefinition?> LoadOwnAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        LoadOwnAsync(session, id, principal, cancellation);

    /// <summary>404 when the definition is not the caller's (or does not exist).</summary>
    public static ProblemDetails MustExist(WorkflowDefinition? definition, Guid id) => definition is null
        ? new() { Status = StatusCodes.Status404NotFound, Title = "No such workflow.", Detail = $"Workflow {id} was not found." }
        : WolverineContinue.NoProblems;

    public static Refusal NoSuchWorkflow(Guid id) => new(StatusCodes.Status404NotFound, "No such workflow.", $"Workflow {id} was not found.");

    /// <summary>
    /// The provider's own definition, locked for editing until the transaction ends (a concurrent save or publish waits,
    /// so the revision checked is the one changed), for an endpoint's declarative load.
    /// </summary>
    public static async Task<WorkflowDefinition?> LoadOwnForEditAsync(
        Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation)
    {
        await EditLock.LockAsync<WorkflowDefinition>(session, id, cancellation);
        return await LoadOwnAsync(session, id, principal, cancellation);
    }

    /// <summary>
    /// No problem when the caller edits the revision stored now; otherwise 404 (not seen), 403 (seen, not theirs to
    /// change: a library workflow), 400 (no expected revision)
    /// or 409 (stale, with the <c>currentRevision</c>).
    /// </summary>
    public static ProblemDetails MustBeCurrent(WorkflowDefinition? definition, Guid id, int? expectedRevision, HttpContext http)
    {
        if (definition is null) return MustExist(definition, id);
        if (!MayEdit(definition, CurrentUser.From(http.User)!))
            return new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden, Title = "This workflow is not yours to change.",
                Detail = "It is the practice library's: copy it (POST /api/workflows/{id}/copy) to make your own draft.",
                Instance = http.Request.Path,
            };
        if (expectedRevision is null)
            return new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                ["expectedRevision"] = ["Send the revision you edited (expectedRevision, from the workflow's \"revision\")."],
            }) { Status = StatusCodes.Status400BadRequest, Title = "The expected revision is missing.", Instance = http.Request.Path };
        if (expectedRevision != definition.Revision)
            return new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict, Title = "The workflow was changed elsewhere.", Detail = StaleMessage(definition),
                Instance = http.Request.Path, Extensions = { ["currentRevision"] = definition.Revision },
            };
        return WolverineContinue.NoProblems;
    }

    public static string StaleMessage(WorkflowDefinition definition) =>
        $"The workflow was changed elsewhere since you loaded it (it is now at revision {definition.Revision}); nothing was saved. " +
        "Reload it and make your change again.";

    public static IResult UnknownSubjects(Dictionary<string, string[]> errors, HttpContext http) =>
        Results.ValidationProblem(errors, title: "The workflow names something that does not exist.", instance: http.Request.Path);
}
