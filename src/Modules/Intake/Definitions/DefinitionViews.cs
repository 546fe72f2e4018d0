using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.BuildingBlocks.Concurrency;

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
    public static DefinitionView From(WorkflowDefinition definition) => new(
        definition.Id,
        definition.Name,
        definition.Latest.Version,
        definition.Latest.Status,
        definition.Published?.Version,
        [.. definition.Versions.Select(v => new VersionView(v.Version, v.Status, v.CreatedAt, v.PublishedAt))],
        definition.Latest.Content,
        definition.Revision);
}

internal static class Definitions
{
    /// <summary>
    /// The definition when it belongs to the signed-in member's practice; null (answer 404) otherwise. Workflows are the
    /// practice's, like its documents and forms: a clinician defines them, any front-office member assigns them.
    /// </summary>
    public static async Task<WorkflowDefinition?> LoadOwnAsync(
        IQuerySession session, Guid id, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is not { IsProvider: true, PracticeId: { } practiceId }) return null;
        var definition = await session.LoadAsync<WorkflowDefinition>(id, cancellation);
        return definition?.PracticeId == practiceId ? definition : null;
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
    /// No problem when the caller edits the revision stored now; otherwise 404 (not theirs), 400 (no expected revision)
    /// or 409 (stale, with the <c>currentRevision</c>).
    /// </summary>
    public static ProblemDetails MustBeCurrent(WorkflowDefinition? definition, Guid id, int? expectedRevision, HttpContext http)
    {
        if (definition is null) return MustExist(definition, id);
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
