using System.Security.Claims;

namespace Portal.Intake.Definitions;

/// <summary>Imports an exported workflow as a new workflow of the signed-in provider (version 1, draft).</summary>
public static class ImportWorkflowEndpoint
{
    [WolverinePost("/api/workflows/import"), Authorize(Policy = PortalPolicies.Provider)]
    public static Task<IResult> Post(WorkflowContent request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation) =>
        CreateWorkflowEndpoint.Post(request, principal, http, session, clock, cancellation);
}
