using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;
using Portal.Intake.Engine;

namespace Portal.Intake.Assignments;

/// <summary>A reason the provider gives for cancelling an assignment, skipping or resending a task.</summary>
public sealed record ReasonRequest(string Reason);

internal sealed class ReasonValidator : AbstractValidator<ReasonRequest>
{
    public ReasonValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Give a reason.").MaximumLength(500);
    }
}

/// <summary>Cancels a running assignment; its open tasks disappear from the client's list and its timers do nothing.</summary>
public static class CancelAssignmentEndpoint
{
    [WolverinePost("/api/assignments/{id}/cancel"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid id, ReasonRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation) =>
        (await ExecuteAsync(id, request.Reason, http, session, bus, clock, cancellation)).ToResult();

    internal static async Task<CommandOutcome> ExecuteAsync(Guid id, string reason, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation) is null)
            return CommandOutcome.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.IsTerminal)
            return CommandOutcome.Conflict("The assignment has ended.", $"The assignment is already {state.Status.ToString().ToLowerInvariant()}.");

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Cancel(reason.Trim(), CurrentUser.From(http.User)!.AsActor());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.assignment.cancel", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
