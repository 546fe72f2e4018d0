using Alba;

namespace Portal.Tests.Insurance;

/// <summary>The insurance tests' common arrange steps, through the real host.</summary>
public abstract class InsuranceTest(PortalFixture fixture) : PortalTest(fixture)
{
    /// <summary>The client saves a first primary plan (version 0 → 1) and every message it causes is handled.</summary>
    protected async Task ClientAddsPrimaryPlanAsync(ClientActor client) =>
        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
}
