using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Portal.Tests.Invitations;

namespace Portal.Tests.Practice;

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

public sealed class CrossProviderTests(PortalFixture fixture) : AccessTest(fixture)
{
    [Fact]
    public async Task Provider_B_gets_404_for_every_read_and_action_on_provider_A_s_client()
    {
        var providerA = await Host.NewProviderAsync();
        var providerB = await Host.NewProviderAsync(support: providerA.Support);
        var client = await Host.NewClientWithAccountAsync(providerA);
        var (requested, _) = await Post(client, "/api/portal/email-change", new { newEmail = "other@portal.test" }, 202);
        var requestId = Published<EmailChangeRequested>(requested).Single().RequestId;

        var reads = new[] { $"/api/console/clients/{client.ClientId}", $"/api/console/clients/{client.ClientId}/access" };
        foreach (var url in reads)
        {
            await Host.Scenario(s =>
            {
                s.As(providerB);
                s.Get.Url(url);
                s.StatusCodeShouldBe(404);
            });
        }
        await Host.Scenario(s =>
        {
            s.As(providerB);
            s.Put.Json(new { firstName = "X", lastName = "Y", dateOfBirth = new DateOnly(1990, 1, 1) })
                .ToUrl($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(404);
        });
        foreach (var url in new[]
                 {
                     $"/api/console/clients/{client.ClientId}/invitation",
                     $"/api/console/email-changes/{requestId}/approve",
                     $"/api/console/email-changes/{requestId}/reject",
                 })
        {
            await Host.Scenario(s =>
            {
                s.As(providerB);
                s.Post.Url(url);
                s.StatusCodeShouldBe(404);
            });
        }

        var lists = new[] { "/api/console/clients", "/api/console/access", "/api/email-changes" };
        foreach (var url in lists)
        {
            var result = await Host.Scenario(s =>
            {
                s.As(providerB);
                s.Get.Url(url);
                s.StatusCodeShouldBeOk();
            });
            (await result.ReadAsTextAsync()).ShouldNotContain(client.ClientId.ToString());
        }
    }

    [Fact]
    public async Task A_client_cannot_read_another_client()
    {
        var provider = await Host.NewProviderAsync();
        var first = await Host.NewClientWithAccountAsync(provider, "First", "Person");
        var second = await Host.NewClientWithAccountAsync(provider, "Second", "Person");
        await Post(second, "/api/portal/email-change", new { newEmail = "second-new@portal.test" }, 202);

        foreach (var url in new[]
                 {
                     $"/api/console/clients/{second.ClientId}", $"/api/console/clients/{second.ClientId}/access", "/api/console/access"
                 })
        {
            await Host.Scenario(s =>
            {
                s.As(first);
                s.Get.Url(url);
                s.StatusCodeShouldBe(403);
            });
        }
        var own = await Host.Scenario(s =>
        {
            s.As(first);
            s.Get.Url("/api/email-changes");
            s.StatusCodeShouldBeOk();
        });
        (await own.ReadAsTextAsync()).ShouldNotContain(second.ClientId.ToString());
    }
}
