using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

internal sealed record StageCount(int? Version, int Stage, string Name, int Clients);

internal sealed record WorkflowOverview(Guid DefinitionId, string Name, IReadOnlyList<StageCount> Running, int Completed, int Cancelled);

/// <summary>How many clients stand at which stage of a workflow (per version, since versions may differ in stages).</summary>
public static class WorkflowOverviewEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.Definitions.MustExist(definition, id);

    [WolverineGet("/api/workflows/{id}/overview"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Get([NotBody] WorkflowDefinition definition, IQuerySession session, CancellationToken cancellation) =>
        Results.Ok(await ForDefinitionAsync(session, definition.Id, definition.Name, cancellation));

    /// <summary>Counts over every assignment of the definition, which is the practice's (no client is named).</summary>
    internal static async Task<WorkflowOverview> ForDefinitionAsync(
        IQuerySession session, Guid definitionId, string name, CancellationToken cancellation)
    {
        var assignments = await session.Query<IntakeAssignment>()
            .Where(a => a.DefinitionId == definitionId)
            .ToListAsync(cancellation);
        var running = assignments
            .Where(a => a.Status == AssignmentStatus.Running)
            .GroupBy(a => (a.DefinitionVersion, a.CurrentStage))
            .Select(g => new StageCount(g.Key.DefinitionVersion, g.Key.CurrentStage, g.First().Stages[g.Key.CurrentStage].Name, g.Count()))
            .OrderBy(c => c.Version).ThenBy(c => c.Stage)
            .ToList();
        return new WorkflowOverview(definitionId, name, running,
            assignments.Count(a => a.Status == AssignmentStatus.Completed),
            assignments.Count(a => a.Status == AssignmentStatus.Cancelled));
    }
}
