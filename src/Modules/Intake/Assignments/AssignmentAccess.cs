using System.Security.Claims;
using JasperFx;
using Marten;
using Portal.BuildingBlocks.Security;
using Portal.Intake.Clients;

namespace Portal.Intake.Assignments;

internal static class AssignmentAccess
{
    /// <summary>The client's card when the caller may see the client (the client, their provider, support); else null.</summary>
    public static async Task<IntakeClient?> VisibleClientAsync(IQuerySession session, Guid clientId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        if (user is null) return null;
        var card = await session.LoadAsync<IntakeClient>(clientId, cancellation);
        return card is not null && card.IsVisibleTo(user) ? card : null;
    }

    /// <summary>The assignment when its client is visible to the caller; else null (answer 404).</summary>
    public static async Task<IntakeAssignment?> VisibleAssignmentAsync(IQuerySession session, Guid assignmentId, ClaimsPrincipal principal, CancellationToken cancellation)
    {
        var assignment = await session.LoadAsync<IntakeAssignment>(assignmentId, cancellation);
        if (assignment is null) return null;
        return await VisibleClientAsync(session, assignment.ClientId, principal, cancellation) is null ? null : assignment;
    }

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"The {what} was not found.");

    /// <summary>
    /// Commits now so that a concurrent change to the same assignment answers 409 instead of failing later.
    /// Messages published before stay in the outbox of this transaction.
    /// </summary>
    public static async Task<IResult?> CommitAsync(IDocumentSession session, CancellationToken cancellation)
    {
        try
        {
            await session.SaveChangesAsync(cancellation);
            return null;
        }
        catch (ConcurrencyException)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The assignment changed meanwhile.",
                detail: "Someone or something changed this assignment at the same time. Reload and try again.");
        }
    }
}
