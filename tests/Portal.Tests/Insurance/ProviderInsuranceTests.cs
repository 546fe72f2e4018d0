using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Insurance;

public sealed class ProviderInsuranceTests(PortalFixture fixture) : InsuranceTest(fixture)
{
    [Fact]
    public async Task A_providers_manual_update_for_a_client_without_an_account_is_recorded_as_the_providers_and_emails_nobody()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider);
        Mail.Clear();

        var (tracked, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });

        var message = tracked.Published().ShouldHaveSingleItem();
        message.Change.ShouldBe(InsuranceChange.Added);
        message.Actor.Kind.ShouldBe(ActorKind.Provider);
        message.Actor.DisplayName.ShouldBe(provider.Name);
        var insurance = await Host.OfClientAsync(provider, client.ClientId);
        insurance.LastUpdated!.By.ShouldBe(new ActorBody("provider", provider.Name));
        insurance.History.ShouldHaveSingleItem().By.Kind.ShouldBe("provider");
        insurance.Primary!.Status.ShouldBe("verified");
        Mail.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_provider_sends_a_submission_back_with_a_message_the_client_reads_then_verifies_the_fix()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await ClientAddsPrimaryPlanAsync(client);

        var (returned, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { expectedVersion = 1, message = "The member ID on the card has a suffix 01." })
                .ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary/return");
            s.StatusCodeShouldBeOk();
        });
        returned.Published().ShouldBeEmpty();
        var mine = await Host.MineAsync(client);
        mine.Primary!.Status.ShouldBe("returned-to-client");
        mine.Primary.ReviewMessage.ShouldBe("The member ID on the card has a suffix 01.");

        await TrackedScenario(s =>
        {
            s.As(client);
            s.Put.Json(InsuranceApi.Plan(2, memberId: "XJH123456789-01")).ToUrl("/api/insurance/plans/primary");
            s.StatusCodeShouldBeOk();
        });
        await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { expectedVersion = 3 }).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary/verify");
            s.StatusCodeShouldBeOk();
        });

        var seen = await Host.OfClientAsync(provider, client.ClientId);
        seen.Primary!.Status.ShouldBe("verified");
        seen.History.First().What.ShouldBe("Verified the primary plan");
    }

    [Fact]
    public async Task Another_provider_gets_404_for_the_clients_insurance_and_cannot_change_it()
    {
        var provider = await Host.NewProviderAsync();
        var other = await Host.NewProviderAsync(support: provider.Support);
        var client = await Host.AddClientAsync(provider);

        await Host.Scenario(s =>
        {
            s.As(other);
            s.Get.Url($"/api/console/clients/{client.ClientId}/insurance");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.As(other);
            s.Put.Json(InsuranceApi.Plan(0)).ToUrl($"/api/console/clients/{client.ClientId}/insurance/plans/primary");
            s.StatusCodeShouldBe(404);
        });
        (await Host.OfClientAsync(provider, client.ClientId)).Version.ShouldBe(0);
    }
}
