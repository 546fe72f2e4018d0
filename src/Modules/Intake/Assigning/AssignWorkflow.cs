using Microsoft.AspNetCore.RateLimiting;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Data;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Web;
using Portal.Intake.Assignments;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Assigning;

/// <param name="AssignAgain">Start it also for clients who have this workflow running already (a second, separate run).</param>
public sealed record AssignWorkflowRequest(IReadOnlyList<Guid> ClientIds, bool AssignAgain = false);

internal sealed class AssignWorkflowValidator : AbstractValidator<AssignWorkflowRequest>
{
    public const int MaxClients = 500;

    public AssignWorkflowValidator()
    {
        RuleFor(r => r.ClientIds).NotEmpty().WithMessage("Choose at least one client.")
            .Must(ids => ids is null || ids.Count <= MaxClients).WithMessage($"Assign to at most {MaxClients} clients at once.")
            .Must(ids => ids is null || ids.All(id => id != Guid.Empty)).WithMessage("A client id is empty.");
    }
}

internal sealed record AssignWorkflowResponse(Guid DefinitionId, int Version, IReadOnlyList<StartedAssignment> Assignments);

/// <summary>
/// Assigns the published version of a workflow to one or many of the provider's own clients. All or nothing: a
/// client who is not the provider's answers 404, a discharged client 409 (re-open the record first), a client who has
/// this workflow running already 409 (unless "assign again" is chosen), and no one is assigned.
/// </summary>
public static class AssignWorkflowEndpoint
{
    [WolverinePost("/api/workflows/{id}/assignments"), Authorize(Policy = PortalPolicies.FrontOffice)]
    [EnableRateLimiting(IntakeModule.BulkAssignmentPolicy)]
    public static async Task<IResult> Post(Guid id, AssignWorkflowRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation) =>
        (await AssignAsync(id, request.ClientIds, http, session, bus, clock, cancellation, request.AssignAgain)).ToResult(http);

    /// <summary>The assignment itself; the workflow builder page assigns through it too.</summary>
    internal static async Task<Outcome<AssignWorkflowResponse>> AssignAsync(Guid id, IReadOnlyList<Guid> clientIds, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation, bool assignAgain = false)
    {
        var definition = await Definitions.Definitions.LoadOwnAsync(session, id, http.User, cancellation);
        if (definition is null) return Definitions.Definitions.NoSuchWorkflow(id);
        if (definition.Published is not { } published)
            return Refusal.Conflict("The workflow is not published.", "Publish a version of the workflow before assigning it.");

        var user = CurrentUser.From(http.User)!;
        var ids = clientIds.Distinct().ToArray();
        // Clients the roster copy does not know yet (just added) are waited for briefly: see RosterArrival.
        var clients = (await RosterArrival.CardsAsync<IntakeClient>(session, ids, cancellation))
            .Where(c => c.IsVisibleTo(user)).ToList();
        var missing = ids.Except(clients.Select(c => c.Id)).ToList();
        if (missing.Count > 0)
            return new Refusal(StatusCodes.Status404NotFound, "No such client.",
                $"Not your client: {string.Join(", ", missing)}. Nobody was assigned.");
        if (AssignmentAccess.NoNewWorkForDischarged(clients) is { } discharged)
            return discharged with { Detail = $"{discharged.Detail} Nobody was assigned." };
        if (!assignAgain && await AlreadyRunningAsync(session, definition, clients, http, cancellation) is { } running) return running;

        var started = await StartAssignments.StartAsync(session, bus,
            new NewAssignments(clients, published.Content, user.AsActor(), clock.GetUtcNow())
            {
                DefinitionId = definition.Id, Version = published.Version,
                Zone = await ClientAttributes.ZoneAsync(http.RequestServices.GetRequiredService<IPracticeLooks>(),
                    definition.PracticeId, cancellation),
            },
            cancellation);
        foreach (var (assignmentId, clientId) in started)
            Audit.Record(session, http, clock, "intake.assignment.start", nameof(IntakeAssignment), assignmentId.ToString(), clientId);

        return new AssignWorkflowResponse(definition.Id, published.Version, started);
    }

    /// <summary>
    /// A second run of the same workflow is rarely meant (a double click, a colleague assigned it yesterday): refused,
    /// naming each client and since when, unless the caller chose to assign again.
    /// </summary>
    private static async Task<Refusal?> AlreadyRunningAsync(IQuerySession session, WorkflowDefinition definition,
        IReadOnlyList<IntakeClient> clients, HttpContext http, CancellationToken cancellation)
    {
        var ids = clients.Select(c => c.Id).ToArray();
        var running = await session.Query<IntakeAssignment>()
            .Where(a => a.DefinitionId == definition.Id && a.Status == AssignmentStatus.Running && a.ClientId.IsOneOf(ids))
            .ToListAsync(cancellation);
        if (running.Count == 0) return null;

        var first = running.GroupBy(a => a.ClientId).Select(g => g.MinBy(a => a.AssignedAt)!).OrderBy(a => a.AssignedAt).ToList();
        var names = clients.ToDictionary(c => c.Id, c => c.DisplayName);
        var sentences = first.Select(a =>
            $"{names[a.ClientId]} has had \u201c{definition.Name}\u201d running since {http.Date(a.AssignedAt)}.");
        return Refusal.Conflict(
                first.Count == 1 ? "This client has the workflow running already." : "These clients have the workflow running already.",
                $"{string.Join(" ", sentences)} Nobody was assigned. Choose \u201cassign again\u201d to start it a second time.")
            .With("code", "alreadyRunning")
            .With("running", first.Select(a => new { clientId = a.ClientId, assignmentId = a.Id, since = a.AssignedAt }).ToList());
    }
}
