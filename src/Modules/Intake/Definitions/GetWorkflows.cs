using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Definitions;

/// <summary>The workflows of the signed-in member's practice that they may see (a clinician: their own and the library's).</summary>
public static class GetWorkflowsEndpoint
{
    [WolverineGet("/api/workflows"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> GetAll(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var definitions = await Definitions.VisibleToAsync(session, CurrentUser.From(principal)!, cancellation);
        return Results.Ok(definitions.Select(DefinitionView.From));
    }
}

/// <summary>One workflow the member may see, with its versions.</summary>
public static class GetWorkflowEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverineGet("/api/workflows/{id}"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static IResult Get([NotBody] WorkflowDefinition definition) => Results.Ok(DefinitionView.From(definition));
}
