using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine;
using Wolverine.Http;

namespace Portal.Insurance.Review;

/// <summary>The provider confirms a plan as the client submitted it, at the version they looked at.</summary>
public sealed record VerifyPlanRequest(long ExpectedVersion);

/// <summary>The provider sends a plan back to the client with a message saying what to fix; the client sees it on their insurance page.</summary>
public sealed record ReturnPlanRequest(long ExpectedVersion, string Message);

internal sealed class ReturnPlanValidator : AbstractValidator<ReturnPlanRequest>
{
    public ReturnPlanValidator()
    {
        RuleFor(r => r.ExpectedVersion).GreaterThan(0);
        RuleFor(r => r.Message).NotEmpty().MaximumLength(1000).WithMessage("Tell the client what to fix (up to 1000 characters).");
    }
}

public static class ReviewPlanEndpoints
{
    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/verify")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static Task<IResult> Verify(Guid clientId, string rank, VerifyPlanRequest request, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
        ReviewAsync(clientId, rank, request.ExpectedVersion, null, principal, session, bus, clock, http, cancellation);

    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/return")]
    [Authorize(Policy = PortalPolicies.Provider)]
    public static Task<IResult> Return(Guid clientId, string rank, ReturnPlanRequest request, ClaimsPrincipal principal, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation) =>
        ReviewAsync(clientId, rank, request.ExpectedVersion, request.Message, principal, session, bus, clock, http, cancellation);

    private static async Task<IResult> ReviewAsync(Guid clientId, string rank, long expectedVersion, string? message, ClaimsPrincipal principal,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal)!;
        var (card, refusal) = await InsuranceDesk.MaySeeAsync(session, user, clientId, cancellation);
        if (card is null) return refusal!.ToResult();
        if (InsuranceDesk.ParseRank(rank) is not { } planRank) return DeskOutcome.NotFound("Plans are primary or secondary.").ToResult();
        return (await InsuranceDesk.ReviewAsync(session, bus, clock, http, card, user.AsActor(), planRank, expectedVersion, message, cancellation)).ToResult();
    }
}
