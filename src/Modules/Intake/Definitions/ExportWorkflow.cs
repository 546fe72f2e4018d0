using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Definitions;

/// <summary>Exports one version of a workflow (the latest unless ?version=N) as JSON that import accepts.</summary>
public static class ExportWorkflowEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverineGet("/api/workflows/{id}/export"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Get([NotBody] WorkflowDefinition definition, int? version)
    {
        var chosen = version is null ? definition.Latest : definition.Versions.FirstOrDefault(v => v.Version == version);
        if (chosen is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such version.",
                detail: $"The workflow has no version {version}.");

        var export = chosen.Content with { Format = WorkflowContent.ExportFormat };
        var fileName = $"workflow-{Slug(export.Name)}-v{chosen.Version}.json";
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(export, Json), "application/json", fileName);
    }

    private static string Slug(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return slug.Length == 0 ? "untitled" : slug[..Math.Min(slug.Length, 40)];
    }
}
