using Portal.Contracts;
using Portal.Insurance.Photos;

namespace Portal.Insurance.Plans;

/// <summary>
/// The client removes a plan with its card photos (DELETE /api/insurance/plans/secondary?expectedVersion=3), or their
/// provider does (recorded as the provider's change). The insurance pages' Remove buttons end in the same RemoveAsync.
/// </summary>
public static class RemovePlanEndpoints
{
    private static readonly Refusal MissingVersion =
        Refusal.Invalid("expectedVersion", "Send the version of the insurance you are changing.");

    [WolverineDelete("/api/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> DeleteMine(string rank, long? expectedVersion, IDocumentSession session, IMessageBus bus,
        TimeProvider clock, HttpContext http)
    {
        if (PlanRanks.Parse(rank) is not { } planRank) return PlanRanks.Unknown.ToProblem(http);
        if (expectedVersion is not { } version) return MissingVersion.ToProblem(http);
        var edit = await InsuranceAccess.ClientEditsAsync(session, http);
        Outcome<SavedInsurance> removed = edit.Succeeded
            ? await RemoveAsync(edit.Value, planRank, version, session, bus, clock)
            : edit.Refusal;
        return removed.ToResult(http);
    }

    [WolverineDelete("/api/console/clients/{clientId}/insurance/plans/{rank}")]
    [Authorize(Policy = PortalPolicies.Billing)]
    public static async Task<IResult> DeleteForClient(Guid clientId, string rank, long? expectedVersion, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, HttpContext http)
    {
        var edit = await InsuranceAccess.ProviderEditsAsync(session, http, clientId);
        if (!edit.Succeeded) return edit.Refusal.ToProblem(http);
        if (PlanRanks.Parse(rank) is not { } planRank) return PlanRanks.Unknown.ToProblem(http);
        if (expectedVersion is not { } version) return MissingVersion.ToProblem(http);
        return (await RemoveAsync(edit.Value, planRank, version, session, bus, clock)).ToResult(http);
    }

    /// <summary>
    /// Removes the plan at the version the caller saw and deletes its card photos; audits and publishes
    /// <see cref="InsuranceChanged"/>. The caller commits.
    /// </summary>
    internal static async Task<Outcome<SavedInsurance>> RemoveAsync(InsuranceEdit edit, PlanRank rank, long expectedVersion,
        IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        if (edit.Stale(expectedVersion) is { } stale) return stale;
        if (edit.Insurance.Aggregate?.Plan(rank) is not { } plan)
            return new Refusal(StatusCodes.Status404NotFound, rank == PlanRank.Primary
                ? "There is no primary plan to remove." : "There is no secondary plan to remove.");

        var now = clock.GetUtcNow();
        edit.Insurance.AppendOne(new PlanRemoved(rank, edit.By, now));
        foreach (var photo in new[] { plan.FrontPhotoId, plan.BackPhotoId }.OfType<Guid>()) CardPhotoStore.Delete(session, photo);
        edit.AuditChange(rank, InsuranceChange.Removed, session, clock);
        await bus.PublishAsync(edit.Changed(rank, InsuranceChange.Removed, now));
        return new SavedInsurance(expectedVersion + 1);
    }
}
