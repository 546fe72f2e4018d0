using Alba;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Access;

public sealed class RosterAuthorizationTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_provider_reads_their_own_client()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.AddClientAsync(provider, "Avery", "Stone");

        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBeOk();
        });
        (await result.ReadAsTextAsync()).ShouldContain("Avery");
    }

    [Fact]
    public async Task Another_provider_gets_404_for_the_client()
    {
        var providerA = await Host.NewProviderAsync();
        var providerB = await Host.NewProviderAsync(support: providerA.Support);
        var client = await Host.AddClientAsync(providerA);

        await Host.Scenario(s =>
        {
            s.As(providerB);
            s.Get.Url($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.As(providerB);
            s.Post.Url($"/api/console/clients/{client.ClientId}/invitation");
            s.StatusCodeShouldBe(404);
        });
        var list = await Host.Scenario(s =>
        {
            s.As(providerB);
            s.Get.Url("/api/console/clients");
            s.StatusCodeShouldBeOk();
        });
        (await list.ReadAsTextAsync()).ShouldNotContain(client.ClientId.ToString());
    }

    [Fact]
    public async Task A_client_cannot_use_the_console_api()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(403);
        });
    }

    [Fact]
    public async Task Signed_out_callers_get_401_from_the_api()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/console/clients");
            s.StatusCodeShouldBe(401);
        });
    }
}
