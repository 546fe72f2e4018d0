using Microsoft.AspNetCore.RateLimiting;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Data;
using Portal.Intake.Assignments;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Assigning;

public sealed record AssignWorkflowRequest(IReadOnlyList<Guid> ClientIds);

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
/// client who is not the provider's answers 404, a discharged client 409 (re-open the record first), and no one is
/// assigned.
/// </summary>
public static class AssignWorkflowEndpoint
{
    [WolverinePost("/api/workflows/{id}/assignments"), Authorize(Policy = PortalPolicies.FrontOffice)]
    [EnableRateLimiting(IntakeModule.BulkAssignmentPolicy)]
    public static async Task<IResult> Post(Guid id, AssignWorkflowRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation) =>
        (await AssignAsync(id, request.ClientIds, http, session, bus, clock, cancellation)).ToResult(http);

    /// <summary>The assignment itself; the workflow builder page assigns through it too.</summary>
    internal static async Task<Outcome<AssignWorkflowResponse>> AssignAsync(Guid id, IReadOnlyList<Guid> clientIds, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
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

        var started = await StartAssignments.StartAsync(session, bus,
            new NewAssignments(clients, published.Content, user.AsActor(), clock.GetUtcNow())
            {
                DefinitionId = definition.Id, Version = published.Version
            },
            cancellation);
        foreach (var (assignmentId, clientId) in started)
            Audit.Record(session, http, clock, "intake.assignment.start", nameof(IntakeAssignment), assignmentId.ToString(), clientId);

        return new AssignWorkflowResponse(definition.Id, published.Version, started);
    }
}
