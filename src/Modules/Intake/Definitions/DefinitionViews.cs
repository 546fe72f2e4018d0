using System.Security.Claims;
using Marten;
using Portal.BuildingBlocks.Security;
using Portal.BuildingBlocks.Web;

namespace Portal.Intake.Definitions;

internal sealed record VersionView(int Version, [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DefinitionStatus>))] DefinitionStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

internal sealed record DefinitionView(
    Guid Id,
    string Name,
    int LatestVersion,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<DefinitionStatus>))] DefinitionStatus LatestStatus,
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
    /// <summary>The definition when it belongs to the signed-in provider; null (answer 404) otherwise.</summary>
    public static async Task<WorkflowDefinition?> LoadOwnAsync(IQuerySession session, Guid id, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user?.ProviderId is not { } providerId) return null;
        var definition = await session.LoadAsync<WorkflowDefinition>(id, cancellation);
        return definition?.ProviderId == providerId ? definition : null;
    }

    /// <summary>The provider's own definition, for an endpoint's declarative load (checked by <see cref="MustExist"/>).</summary>
    public static Task<WorkflowDefinition?> LoadOwnAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        LoadOwnAsync(session, id, principal, cancellation);

    /// <summary>404 when the definition is not the caller's (or does not exist).</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails MustExist(WorkflowDefinition? definition, Guid id) => definition is null
        ? new() { Status = StatusCodes.Status404NotFound, Title = "No such workflow.", Detail = $"Workflow {id} was not found." }
        : Wolverine.Http.WolverineContinue.NoProblems;

    public static Refusal NoSuchWorkflow(Guid id) => new(StatusCodes.Status404NotFound, "No such workflow.", $"Workflow {id} was not found.");

    public static IResult NotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such workflow.", detail: $"Workflow {id} was not found.");

    /// <summary>
    /// Null when the caller edits the revision stored now; otherwise the 400 (no expected revision) or 409 (stale) to answer.
    /// </summary>
    public static IResult? CheckRevision(WorkflowDefinition definition, int? expectedRevision, HttpContext http)
    {
        if (expectedRevision is null)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["expectedRevision"] = ["Send the revision you edited (expectedRevision, from the workflow's \"revision\")."],
            }, title: "The expected revision is missing.", instance: http.Request.Path);
        if (expectedRevision != definition.Revision)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The workflow was changed elsewhere.",
                detail: StaleMessage(definition), instance: http.Request.Path,
                extensions: new Dictionary<string, object?> { ["currentRevision"] = definition.Revision });
        return null;
    }

    public static string StaleMessage(WorkflowDefinition definition) =>
        $"The workflow was changed elsewhere since you loaded it (it is now at revision {definition.Revision}); nothing was saved. Reload it and make your change again.";

    public static IResult UnknownSubjects(Dictionary<string, string[]> errors, HttpContext http) =>
        Results.ValidationProblem(errors, title: "The workflow names something that does not exist.", instance: http.Request.Path);
}
