using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Intake.Definitions;

/// <summary>
/// Publishes the draft version: new assignments use it; running assignments keep their version.
/// <c>?expectedRevision=</c> is the revision the provider reviewed: a stale one answers 409 and publishes nothing.
/// </summary>
public static class PublishWorkflowEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        Definitions.LoadOwnForEditAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id, int? expectedRevision, HttpContext http) =>
        Definitions.MustBeCurrent(definition, id, expectedRevision, http);

    [WolverinePost("/api/workflows/{id}/publish"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post([NotBody] WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation)
    {
        if (definition.Latest.Status != DefinitionStatus.Draft)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to publish.",
                detail: $"Version {definition.Latest.Version} is already published; edit the workflow to start a new draft.");

        // A draft copied from a starter may leave a document or form to choose: its shape is checked before publishing.
        var shape = new WorkflowContentValidator().Validate(definition.Latest.Content);
        if (!shape.IsValid)
            return Results.ValidationProblem(shape.Errors.GroupBy(e => ValidationPath(e.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()),
                title: "The draft is not ready to publish.", instance: http.Request.Path);

        // The catalog may have changed since the draft was saved (a document withdrawn): check again.
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, definition.Latest.Content, definition.PracticeId, cancellation);
        if (unknown.Count > 0) return Definitions.UnknownSubjects(unknown, http);

        definition.PublishDraft(clock.GetUtcNow());
        session.Store(definition);
        return Results.Ok(DefinitionView.From(definition));
    }

    /// <summary>"Stages[0].Tasks[1].SubjectId" as the API's other answers name fields: "stages[0].tasks[1].subjectId".</summary>
    private static string ValidationPath(string path) =>
        string.Join('.', path.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));
}
