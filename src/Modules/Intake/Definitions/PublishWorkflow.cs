using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Intake.Definitions;

/// <summary>
/// Publishes the draft version: new assignments use it; running assignments keep their version.
/// <c>?expectedRevision=</c> is the revision the provider reviewed: a stale one answers 409 and publishes nothing.
/// </summary>
public static class PublishWorkflowEndpoint
{
    [WolverinePost("/api/workflows/{id}/publish"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid id, int? expectedRevision, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        await EditLock.LockAsync<WorkflowDefinition>(session, id, cancellation);
        var definition = await Definitions.LoadOwnAsync(session, id, principal, cancellation);
        if (definition is null) return Definitions.NotFound(id);
        if (Definitions.CheckRevision(definition, expectedRevision, http) is { } refused) return refused;
        if (definition.Latest.Status != DefinitionStatus.Draft)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to publish.",
                detail: $"Version {definition.Latest.Version} is already published; edit the workflow to start a new draft.");

        // The catalog may have changed since the draft was saved (a document withdrawn): check again.
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, definition.Latest.Content, definition.PracticeId, cancellation);
        if (unknown.Count > 0) return Definitions.UnknownSubjects(unknown, http);

        definition.PublishDraft(clock.GetUtcNow());
        session.Store(definition);
        return Results.Ok(DefinitionView.From(definition));
    }
}
