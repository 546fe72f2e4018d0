using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Intake.Definitions;

/// <summary>The signed-in provider's workflows, and one workflow with its versions.</summary>
public static class GetWorkflowsEndpoint
{
    [WolverineGet("/api/workflows"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> GetAll(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var definitions = await ForProviderAsync(session, CurrentUser.From(principal)!.ProviderId!.Value, cancellation);
        return Results.Ok(definitions.Select(DefinitionView.From));
    }

    [WolverineGet("/api/workflows/{id}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> GetOne(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var definition = await Definitions.LoadOwnAsync(session, id, principal, cancellation);
        return definition is null ? Definitions.NotFound(id) : Results.Ok(DefinitionView.From(definition));
    }

    internal static async Task<IReadOnlyList<WorkflowDefinition>> ForProviderAsync(IQuerySession session, Guid providerId, CancellationToken cancellation)
    {
        var definitions = await session.Query<WorkflowDefinition>().Where(d => d.ProviderId == providerId).ToListAsync(cancellation);
        return [.. definitions.OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase)];
    }
}
