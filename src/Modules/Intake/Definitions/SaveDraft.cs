using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Definitions;

/// <summary>
/// Saves the workflow's content (name, stages, their order, task settings) as its draft. Editing a published
/// version starts a new draft version; the published one stays as it is until the draft is published.
/// <c>?expectedRevision=</c> is the revision the editor loaded: a stale one answers 409 and changes nothing.
/// </summary>
public static class SaveDraftEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        Definitions.LoadOwnForEditAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id, int? expectedRevision, HttpContext http) =>
        Definitions.MustBeCurrent(definition, id, expectedRevision, http);

    [WolverinePut("/api/workflows/{id}/draft"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(WorkflowContent request, [NotBody] WorkflowDefinition definition,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, request, definition.PracticeId, cancellation);
        if (unknown.Count > 0) return Definitions.UnknownSubjects(unknown, http);

        definition.SaveDraft(request, clock.GetUtcNow());
        session.Store(definition);
        return Results.Ok(DefinitionView.From(definition));
    }
}
