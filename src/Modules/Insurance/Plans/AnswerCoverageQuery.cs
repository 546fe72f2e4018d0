namespace Portal.Insurance.Plans;

/// <summary>
/// Answers another module's question about a client's plans (Integrations' FHIR Coverage) from the current snapshot.
/// The asker decides who may see them; nothing is written here.
/// </summary>
public static class CoverageQueryHandler
{
    public static async Task<CoverageAnswer> Handle(CoverageQuery query, IQuerySession session, CancellationToken cancellation)
    {
        var insurance = await session.LoadAsync<ClientInsurance>(query.ClientId, cancellation);
        if (insurance is null) return new CoverageAnswer(query.ClientId, []);
        var updated = insurance.LastUpdatedAt ?? DateTimeOffset.MinValue;
        return new CoverageAnswer(query.ClientId, [.. new[] { insurance.Primary, insurance.Secondary }
            .OfType<InsurancePlan>()
            .Select(plan => new CoverageFacts(plan.Rank, plan.Details.PayerId, plan.Details.PayerName, plan.Details.PlanName,
                plan.Details.MemberId, plan.Details.GroupNumber, plan.Details.Subscriber.IsClient, plan.Details.Subscriber.Name,
                plan.Details.Subscriber.Relationship, plan.Status.ToString(),
                plan.ReviewedAt is { } reviewed && reviewed > updated ? reviewed : updated))]);
    }
}
