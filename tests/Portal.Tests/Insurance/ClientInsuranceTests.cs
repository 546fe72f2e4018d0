using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Insurance;

public sealed class ClientInsuranceTests(PortalFixture fixture) : InsuranceTest(fixture)
{
    [Fact]
    public async Task A_client_adds_updates_and_removes_a_plan_and_each_change_publishes_one_message_naming_the_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (added, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        var addedMessage = added.Published().ShouldHaveSingleItem();
        addedMessage.Change.ShouldBe(InsuranceChange.Added);
        addedMessage.Rank.ShouldBe(PlanRank.Primary);
        addedMessage.ClientId.ShouldBe(client.ClientId);
        addedMessage.ProviderId.ShouldBe(provider.ProviderId);
        addedMessage.Actor.Kind.ShouldBe(ActorKind.Client);

        var (updated, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(1, memberId: "XJH000000001")).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        var updatedMessage = updated.Published().ShouldHaveSingleItem();
        updatedMessage.Change.ShouldBe(InsuranceChange.Updated);
        updatedMessage.Actor.Kind.ShouldBe(ActorKind.Client);

        var (removed, _) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Delete.Url("/api/insurance/plans/primary?expectedVersion=2");
            s.StatusCodeShouldBeOk();
        });
        var removedMessage = removed.Published().ShouldHaveSingleItem();
        removedMessage.Change.ShouldBe(InsuranceChange.Removed);
        removedMessage.Rank.ShouldBe(PlanRank.Primary);

        var insurance = await Host.MineAsync(client);
        insurance.Primary.ShouldBeNull();
        insurance.Version.ShouldBe(3);
        insurance.History.Select(h => h.What).ShouldBe(
        [
            "Removed the primary plan",
            "Updated the primary plan (Aetna, Open Access Choice POS II)",
            "Added the primary plan (Aetna, Open Access Choice POS II)",
        ]);
        insurance.History.ShouldAllBe(h => h.By.Kind == "client");
    }

    [Fact]
    public async Task A_dependent_names_the_plan_holder_and_the_provider_sees_the_plan_awaiting_review_with_Last_Updated_by_the_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider, "Riley", "Moss");
        Clock.Advance(TimeSpan.FromMinutes(5));
        var savedAt = Clock.GetUtcNow();

        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0, payerId: "other", otherPayerName: "Harbor Mutual Health", planName: "Family PPO",
                subscriber: new { isClient = false, name = "Jordan Moss", dateOfBirth = "1968-02-03", relationship = "child" }))
                .ToUrl("/api/insurance/plans/secondary");
            s.StatusCodeShouldBeOk();
        });

        var seen = await Host.OfClientAsync(provider, client.ClientId);
        var plan = seen.Secondary.ShouldNotBeNull();
        plan.PayerName.ShouldBe("Harbor Mutual Health");
        plan.Subscriber.ShouldBe(new SubscriberBody(false, "Jordan Moss", new DateOnly(1968, 2, 3), "child"));
        plan.Status.ShouldBe("awaiting-review");
        var lastUpdated = seen.LastUpdated.ShouldNotBeNull();
        lastUpdated.By.Kind.ShouldBe("client");
        lastUpdated.At.ShouldBe(savedAt, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_dependent_who_leaves_out_the_plan_holders_birth_date_gets_400_naming_the_field()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var result = await Host.Scenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0, subscriber: new { isClient = false, name = "Jordan Moss", relationship = "spouse" }))
                .ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBe(400);
        });
        (await result.ReadAsTextAsync()).ShouldContain("subscriber.dateOfBirth");
        (await Host.MineAsync(client)).Primary.ShouldBeNull();
    }

    [Fact]
    public async Task A_client_whose_account_is_no_longer_active_is_refused_with_403_and_the_reason()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await Host.ExecuteAndWaitAsync(async context =>
            await context.PublishAsync(new ClientAccountStatusChanged(client.ClientId, false, Clock.GetUtcNow())));

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBe(403);
        });
        var problem = await result.ReadAsTextAsync();
        problem.ShouldContain("not active");
        problem.ShouldContain("Your provider can update your insurance for you");
        tracked.Published().ShouldBeEmpty();
        (await Host.OfClientAsync(provider, client.ClientId)).Version.ShouldBe(0);
    }

    [Fact]
    public async Task The_second_of_two_edits_from_the_same_version_gets_409_and_the_first_is_kept()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);

        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(1, memberId: "FIRST0001")).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        var (tracked, stale) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(InsuranceApi.Plan(1, memberId: "SECOND0002")).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary");
            s.StatusCodeShouldBe(409);
        });

        (await stale.ReadAsTextAsync()).ShouldContain("\"currentVersion\":2");
        tracked.Published().ShouldBeEmpty();
        var insurance = await Host.MineAsync(client);
        insurance.Primary!.MemberId.ShouldBe("FIRST0001");
        insurance.Version.ShouldBe(2);
    }

    [Fact]
    public async Task Every_read_and_change_of_insurance_is_in_the_audit_log()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);
        await Host.OfClientAsync(provider, client.ClientId);

        await using var session = OpenSession();
        var entries = await session.Query<AuditEntry>().Where(e => e.ClientId == client.ClientId && e.Action.StartsWith("insurance.")).ToListAsync();
        entries.ShouldContain(e => e.Action == "insurance.change" && e.ActorRole == "client");
        entries.ShouldContain(e => e.Action == "insurance.read" && e.ActorRole == "provider");
    }

    [Fact]
    public async Task The_payer_list_is_searchable_and_always_offers_other()
    {
        var provider = await Host.NewProviderAsync();
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url("/api/insurance/payers?q=blue%20texas");
            s.StatusCodeShouldBeOk();
        });
        var payers = (await result.ReadAsJsonAsync<List<PayerBody>>())!;
        payers.Select(p => p.Id).ShouldBe(["bcbs-texas", "other"]);
    }

    public sealed record PayerBody(string Id, string Name);
}
