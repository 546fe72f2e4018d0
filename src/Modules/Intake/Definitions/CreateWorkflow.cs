using System.Security.Claims;

namespace Portal.Intake.Definitions;

/// <summary>A provider starts a new intake workflow: version 1, as a draft.</summary>
public static class CreateWorkflowEndpoint
{
    [WolverinePost("/api/workflows"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(WorkflowContent request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var practiceId = user.PracticeId ?? Guid.Empty;
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, request, practiceId, cancellation);
        if (unknown.Count > 0) return Definitions.UnknownSubjects(unknown, http);

        var definition = Create(request, user.ProviderId!.Value, practiceId, clock.GetUtcNow());
        session.Store(definition);
        return Results.Created($"/api/workflows/{definition.Id}", DefinitionView.From(definition));
    }

    internal static WorkflowDefinition Create(WorkflowContent content, Guid providerId, Guid practiceId, DateTimeOffset now)
    {
        var definition = new WorkflowDefinition { Id = Guid.CreateVersion7(), ProviderId = providerId, PracticeId = practiceId };
        definition.SaveDraft(content, now);
        return definition;
    }
}
