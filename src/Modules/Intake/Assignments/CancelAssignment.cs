using Portal.BuildingBlocks.Auditing;
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
    [WolverinePost("/api/assignments/{id}/cancel"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Post(Guid id, ReasonRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        (await CancelAsync(new AssignmentCommand(http, session, bus, clock), id, request.Reason, http.RequestAborted)).ToResult(http);

    /// <summary>The cancellation itself; the assignment page cancels through it too.</summary>
    internal static async Task<Outcome<AssignmentView>> CancelAsync(AssignmentCommand command, Guid id, string reason, CancellationToken cancellation)
    {
        var (http, session, bus, clock) = command;
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation) is null) return Refusal.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.IsTerminal)
            return Refusal.Conflict("The assignment has ended.", $"The assignment is already {state.Status.ToString().ToLowerInvariant()}.");

        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Cancel(reason.Trim(), CurrentUser.From(http.User)!.AsActor());
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.assignment.cancel", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}
