using Portal.BuildingBlocks.Concurrency;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Intake.Definitions;

/// <summary>
/// Saves the workflow's content (name, stages, their order, task settings) as its draft. Editing a published
/// version starts a new draft version; the published one stays as it is until the draft is published.
/// <c>?expectedRevision=</c> is the revision the editor loaded: a stale one answers 409 and changes nothing.
/// </summary>
public static class SaveDraftEndpoint
{
    [WolverinePut("/api/workflows/{id}/draft"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid id, int? expectedRevision, WorkflowContent request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var cancellation = http.RequestAborted;
        await EditLock.LockAsync<WorkflowDefinition>(session, id, cancellation);
        var definition = await Definitions.LoadOwnAsync(session, id, http.User, cancellation);
        if (definition is null) return Definitions.NotFound(id);
        if (Definitions.CheckRevision(definition, expectedRevision, http) is { } refused) return refused;
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, request, definition.PracticeId, cancellation);
        if (unknown.Count > 0) return Definitions.UnknownSubjects(unknown, http);

        definition.SaveDraft(request, clock.GetUtcNow());
        session.Store(definition);
        return Results.Ok(DefinitionView.From(definition));
    }
}
