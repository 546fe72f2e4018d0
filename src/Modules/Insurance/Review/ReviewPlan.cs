using Portal.Contracts;
using Portal.Insurance.Plans;

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
        RuleFor(r => r.Message).NotEmpty().MaximumLength(ReviewPlanEndpoints.MaxMessageLength)
            .WithMessage(ReviewPlanEndpoints.MessageRule);
    }
}

/// <summary>A review decision on one plan: verified when there is no message, otherwise sent back with it.</summary>
internal sealed record PlanReview(string? Rank, long ExpectedVersion, string? ReturnMessage);

/// <summary>
/// The provider's review of a client's plan: mark it verified, or send it back with a message (the client is emailed
/// through <see cref="InsurancePlanReturned"/>). Not a change of the insurance itself. The console page's review forms
/// end in the same ReviewAsync.
/// </summary>
public static class ReviewPlanEndpoints
{
    internal const int MaxMessageLength = 1000;

    internal const string MessageRule = "Tell the client what to fix (up to 1000 characters).";

    /// <summary>Both routes: the client's own provider only; anyone else is told the client does not exist.</summary>
    public static async Task<(InsuranceEdit?, IResult)> LoadAsync(Guid clientId, IDocumentSession session, HttpContext http) =>
        (await InsuranceAccess.ProviderEditsAsync(session, http, clientId)).ToLoaded(http);

    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/verify")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<IResult> Verify(string rank, VerifyPlanRequest request, [NotBody] InsuranceEdit edit, IDocumentSession session,
        IMessageBus bus, TimeProvider clock) =>
        (await ReviewAsync(edit, new PlanReview(rank, request.ExpectedVersion, null), session, bus, clock)).ToResult(edit.Http);

    [WolverinePost("/api/console/clients/{clientId}/insurance/plans/{rank}/return")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<IResult> Return(string rank, ReturnPlanRequest request, [NotBody] InsuranceEdit edit, IDocumentSession session,
        IMessageBus bus, TimeProvider clock) =>
        (await ReviewAsync(edit, new PlanReview(rank, request.ExpectedVersion, request.Message), session, bus, clock))
            .ToResult(edit.Http);

    /// <summary>Records the decision at the version the provider looked at and audits it; a plan sent back also tells the client.</summary>
    internal static async Task<Outcome<SavedInsurance>> ReviewAsync(InsuranceEdit edit, PlanReview review, IDocumentSession session,
        IMessageBus bus, TimeProvider clock)
    {
        if (PlanRanks.Parse(review.Rank) is not { } rank) return PlanRanks.Unknown;
        var message = review.ReturnMessage?.Trim();
        // The JSON body is checked by the validator before this runs; the page's form is checked here.
        if (review.ReturnMessage is not null && (string.IsNullOrEmpty(message) || review.ReturnMessage.Length > MaxMessageLength))
            return new Refusal(StatusCodes.Status400BadRequest, "Please correct the highlighted fields.", MessageRule,
                new Dictionary<string, string[]> { [$"{rank.Name()}.message"] = [MessageRule] });
        if (edit.Stale(review.ExpectedVersion) is { } stale) return stale;
        if (edit.Insurance.Aggregate?.Plan(rank) is null)
            return new Refusal(StatusCodes.Status404NotFound, $"There is no {rank.Name()} plan to review.");

        var now = clock.GetUtcNow();
        edit.Insurance.AppendOne(message is null ? new PlanVerified(rank, edit.By, now) : new PlanReturned(rank, message, edit.By, now));
        edit.Audit(session, clock, message is null ? "insurance.verify" : "insurance.return", rank.Name());
        if (message is not null)
            await bus.PublishAsync(new InsurancePlanReturned(Guid.CreateVersion7(), edit.Client.Id, edit.Client.ProviderId, rank, message,
                edit.By, now));
        return new SavedInsurance(review.ExpectedVersion + 1);
    }
}
