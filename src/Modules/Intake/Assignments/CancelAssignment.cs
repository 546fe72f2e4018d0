using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine;
using Wolverine.Http;

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
    public static async Task<IResult> Post(Guid id, ReasonRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, principal, cancellation) is null)
            return AssignmentAccess.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.IsTerminal)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The assignment has ended.",
                detail: $"The assignment is already {state.Status.ToString().ToLowerInvariant()}.");

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Cancel(request.Reason.Trim(), CurrentUser.From(principal)!.AsActor());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.assignment.cancel", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, cancellation) ?? Results.Ok(AssignmentView.From(process.State));
    }
}
