using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Auditing;

namespace Portal.Intake.Definitions;

/// <summary>
/// The practice library. A workflow is its author's; the owner puts a published one in the library
/// (<c>POST /api/workflows/{id}/library</c>) or takes it out (<c>DELETE</c>), and then every clinician of the practice
/// sees it, assigns it and copies it (<c>POST /api/workflows/{id}/copy</c>: a new draft of their own). Only its author
/// and the owner change it. Other practices never see it (404).
/// </summary>
public static class WorkflowLibrary
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IDocumentSession session, CancellationToken cancellation) =>
        Definitions.LoadOwnForEditAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverinePost("/api/workflows/{id}/library"), Authorize(Policy = PortalPolicies.Owner)]
    public static IResult Post([NotBody] WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        Share(definition, http, session, clock).ToResult(http, shared => Results.Ok(DefinitionView.From(shared)));

    /// <summary>Takes it out of the library: it is its author's again; assignments that run on it carry on.</summary>
    [WolverineDelete("/api/workflows/{id}/library"), Authorize(Policy = PortalPolicies.Owner)]
    public static IResult Delete([NotBody] WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock) =>
        Results.Ok(DefinitionView.From(Unshare(definition, http, session, clock)));

    /// <summary>Puts a published workflow in the library (the API and the workflows page); the caller is the owner.</summary>
    internal static Outcome<WorkflowDefinition> Share(WorkflowDefinition definition, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        if (definition.Published is null)
            return Refusal.Conflict("The workflow is not published.",
                "Publish a version first: clinicians assign the published version of a library workflow.");
        if (!definition.InLibrary)
        {
            definition.InLibrary = true;
            definition.InLibrarySince = clock.GetUtcNow();
            session.Store(definition);
            Audit.Record(session, http, clock, "intake.workflow.library.add", nameof(WorkflowDefinition), definition.Id.ToString());
        }
        return definition;
    }

    internal static WorkflowDefinition Unshare(WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        if (definition.InLibrary)
        {
            definition.InLibrary = false;
            definition.InLibrarySince = null;
            session.Store(definition);
            Audit.Record(session, http, clock, "intake.workflow.library.remove", nameof(WorkflowDefinition), definition.Id.ToString());
        }
        return definition;
    }
}

/// <summary>
/// <c>POST /api/workflows/{id}/copy</c>: a workflow the caller sees (their own, or the library's) becomes a new draft of
/// their own, from its published version (the latest when none is published). Publishing the copy checks it again.
/// </summary>
public static class CopyWorkflowEndpoint
{
    public static Task<WorkflowDefinition?> LoadAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation) =>
        Definitions.LoadOwnAsync(id, principal, session, cancellation);

    public static ProblemDetails Validate(WorkflowDefinition? definition, Guid id) => Definitions.MustExist(definition, id);

    [WolverinePost("/api/workflows/{id}/copy"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Post([NotBody] WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var copy = Copy(definition, http, session, clock);
        return Results.Created($"/api/workflows/{copy.Id}", DefinitionView.From(copy));
    }

    /// <summary>The copy, stored and audited (the API and the workflows page): the caller has been shown to see the source.</summary>
    internal static WorkflowDefinition Copy(WorkflowDefinition definition, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var source = (definition.Published ?? definition.Latest).Content;
        var copy = CreateWorkflowEndpoint.Create(source with { Name = CopyName(source.Name) }, user.ProviderId!.Value,
            definition.PracticeId, clock.GetUtcNow());
        session.Store(copy);
        Audit.Record(session, http, clock, "intake.workflow.copy", nameof(WorkflowDefinition), copy.Id.ToString(),
            outcome: $"from:{definition.Id}");
        return copy;
    }

    /// <summary>"Intake (copy)", within the 120 characters a name may have.</summary>
    internal static string CopyName(string name)
    {
        const string suffix = " (copy)";
        return (name.Length + suffix.Length > 120 ? name[..(120 - suffix.Length)] : name) + suffix;
    }
}

/// <summary>
/// The builder page (<c>/console/workflows/{id}</c>) changes a workflow with its forms: a member who sees it but may
/// not change it (a clinician on a library workflow) is refused (403) before any form handler runs, as the API is.
/// </summary>
internal sealed class WorkflowEditGuard : IAsyncPageFilter
{
    public const string Page = "/Console/Workflows/Edit";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && Guid.TryParse(context.RouteData.Values["id"]?.ToString(), out var id)
            && CurrentUser.From(http.User) is { } user)
        {
            var session = http.RequestServices.GetRequiredService<IQuerySession>();
            var definition = await session.LoadAsync<WorkflowDefinition>(id, http.RequestAborted);
            if (definition is not null && Definitions.IsVisibleTo(definition, user) && !Definitions.MayEdit(definition, user))
            {
                context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
                return;
            }
        }
        await next();
    }
}
