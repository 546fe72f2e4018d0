using System.Net;
using System.Net.Http.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Integrations.Webhooks;

namespace Portal.Tests.Integrations;

/// <summary>
/// Outbound webhooks against a receiver the test starts on a real port: signatures, retries, one delivery per event,
/// the private-network rule, disabling after a day of failures, "send again".
/// </summary>
public sealed class WebhookTests(PortalFixture fixture) : PortalTest(fixture)
{
    [Fact]
    public async Task A_signed_event_is_retried_after_two_500s_and_the_receiver_sees_one_webhook_id_per_event()
    {
        var owner = await Host.NewProviderAsync();
        await AllowPrivateNetworkAsync(owner);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(500, 500);
        var endpoint = await SubscribeAsync(owner, receiver, [WebhookEvents.ClientAdded]);

        var client = await Host.AddClientAsync(owner, "Sasha", "Signed");
        await receiver.WaitForAsync(3);
        await Task.Delay(1500);

        var received = receiver.Requests.ToArray();
        received.Length.ShouldBe(3);
        received.Select(r => r.Answered).ShouldBe([500, 500, 200]);
        received.ShouldAllBe(r => r.SignatureValid);
        received.Select(r => r.WebhookId).Distinct().ShouldHaveSingleItem();
        received[0].Body.ShouldContain("\"type\":\"client.added\"");
        received[0].Body.ShouldContain(client.ClientId.ToString());
        received[0].Body.ShouldNotContain("Sasha");
        received[0].Body.ShouldNotContain(client.Email);

        var deliveries = await Host.GetAsJson<WebhookDeliveryView[]>($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries", owner);
        var delivery = deliveries.ShouldHaveSingleItem();
        delivery.Status.ShouldBe("Delivered");
        delivery.Attempts.Select(a => a.StatusCode).ShouldBe([500, 500, 200]);
        delivery.Attempts.ShouldAllBe(a => a.LatencyMs >= 0);

        // The same fact arriving again (a replay, a second host) makes no second delivery.
        await TrackedScenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { firstName = "Sasha", lastName = "Signed-Again", dateOfBirth = client.DateOfBirth })
                .ToUrl($"/api/console/clients/{client.ClientId}");
            s.StatusCodeShouldBe(200);
        });
        await Task.Delay(1500);
        receiver.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_safety_flag_event_carries_ids_and_times_only()
    {
        var owner = await Host.NewProviderAsync();
        await AllowPrivateNetworkAsync(owner);
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(owner, receiver, [WebhookEvents.SafetyFlagRaised, WebhookEvents.AssessmentCompleted]);
        var client = await Host.AddClientAsync(owner);

        var flagId = Guid.NewGuid();
        await Publish(new AssessmentCompleted(Guid.NewGuid(), client.ClientId, owner.ProviderId, "PHQ-9", Guid.NewGuid(), 22, "Severe",
                true, new Actor(ActorKind.Client, client.ClientId, "Casey Client"), DateTimeOffset.UtcNow),
            new SafetyFlagRaised(flagId, client.ClientId, owner.ProviderId, "PHQ-9", Guid.NewGuid(), DateTimeOffset.UtcNow));
        await receiver.WaitForAsync(2);

        var bodies = receiver.Requests.Select(r => r.Body).ToArray();
        bodies.ShouldContain(b => b.Contains("\"type\":\"safety_flag.raised\"") && b.Contains(flagId.ToString()));
        bodies.ShouldAllBe(b => !b.Contains("Severe") && !b.Contains("score") && !b.Contains("severity") && !b.Contains("Casey"));
    }

    [Fact]
    public async Task A_private_network_target_is_refused_unless_the_practice_allows_it()
    {
        var owner = await Host.NewProviderAsync();
        foreach (var url in new[] { "http://127.0.0.1:9/hook", "https://169.254.169.254/latest", "https://10.1.2.3/hook", "https://[::1]/hook",
                     "ftp://example.com/hook" })
        {
            var result = await Host.Scenario(s =>
            {
                s.As(owner);
                s.Post.Json(new { url, events = new[] { WebhookEvents.ClientAdded } }).ToUrl("/api/console/integrations/webhooks");
                s.StatusCodeShouldBe(400);
            });
            (await result.ReadAsTextAsync()).ShouldContain("\"url\"");
        }

        await AllowPrivateNetworkAsync(owner);
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { url = "http://127.0.0.1:9/hook", events = new[] { WebhookEvents.ClientAdded } })
                .ToUrl("/api/console/integrations/webhooks");
            s.StatusCodeShouldBe(201);
        });
    }

    [Fact]
    public async Task A_target_is_checked_again_at_send_time()
    {
        var owner = await Host.NewProviderAsync();
        await AllowPrivateNetworkAsync(owner);
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await SubscribeAsync(owner, receiver, [WebhookEvents.ClientAdded]);
        await AllowPrivateNetworkAsync(owner, allow: false);

        await Host.AddClientAsync(owner);
        var attempt = await WaitForAttemptAsync(owner, endpoint.Id);

        attempt.StatusCode.ShouldBeNull();
        attempt.Error!.ShouldContain("private network");
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_endpoint_failing_for_a_day_is_disabled_its_owner_emailed_and_send_again_delivers_once_enabled()
    {
        var owner = await Host.NewProviderAsync();
        await AllowPrivateNetworkAsync(owner);
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        var endpoint = await SubscribeAsync(owner, receiver, [WebhookEvents.ClientAdded]);
        await Host.AddClientAsync(owner);
        await receiver.WaitForAsync(1);

        Clock.Advance(TimeSpan.FromHours(25));
        owner = await Host.SignInAgainAsync(owner);
        var listed = await WaitUntilAsync(async () =>
            (await Host.GetAsJson<WebhookEndpointView[]>("/api/console/integrations/webhooks", owner)).Single() is { Enabled: false } e ? e : null);
        listed.DisabledAt.ShouldNotBeNull();
        var mail = await WaitUntilAsync(() => Task.FromResult(Mail.To(owner.Email).FirstOrDefault(m => m.Subject?.Contains("webhook") == true)));
        (mail.TextBody ?? string.Empty).ShouldContain(receiver.Url);

        var delivery = (await Host.GetAsJson<WebhookDeliveryView[]>($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries", owner)).Single();
        delivery.Status.ShouldBe("Failed");
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries/{delivery.Id}/resend");
            s.StatusCodeShouldBe(409);
        });

        receiver.AlwaysFail = false;
        var before = receiver.Requests.Count;
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/integrations/webhooks/{endpoint.Id}/enable");
            s.StatusCodeShouldBe(200);
        });
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Url($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries/{delivery.Id}/resend");
            s.StatusCodeShouldBe(202);
        });
        await receiver.WaitForAsync(before + 1);
        var again = await WaitUntilAsync(async () =>
            (await Host.GetAsJson<WebhookDeliveryView[]>($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries", owner))
            .Single() is { Status: "Delivered" } d ? d : null);
        receiver.Requests.Select(r => r.WebhookId).Distinct().ShouldHaveSingleItem();
        again.Attempts.Last().StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task Another_practice_s_owner_and_its_API_clients_reach_no_endpoint_of_this_practice()
    {
        var owner = await Host.NewProviderAsync();
        await AllowPrivateNetworkAsync(owner);
        await using var receiver = await WebhookReceiver.StartAsync();
        var endpoint = await SubscribeAsync(owner, receiver, [WebhookEvents.ClientAdded]);
        var outsider = await Host.NewProviderAsync();
        var apiTests = new ApiClientTests(Fixture);
        var outsiderCredentials = await apiTests.CreateClientAsync(outsider, ["webhooks.manage"]);
        using var outsiderApi = await apiTests.ApiAsync(outsiderCredentials);

        (await Host.GetAsText("/api/console/integrations/webhooks", outsider)).ShouldNotContain(endpoint.Id.ToString());
        await Host.Scenario(s =>
        {
            s.As(outsider);
            s.Delete.Url($"/api/console/integrations/webhooks/{endpoint.Id}");
            s.StatusCodeShouldBe(404);
        });
        (await outsiderApi.GetAsync($"/api/console/integrations/webhooks/{endpoint.Id}/deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsiderApi.DeleteAsync($"/api/console/integrations/webhooks/{endpoint.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsiderApi.GetStringAsync("/api/console/integrations/webhooks")).ShouldNotContain(endpoint.Id.ToString());
    }

    [Fact]
    public async Task An_API_client_with_webhooks_manage_subscribes_its_own_practice()
    {
        var owner = await Host.NewProviderAsync();
        var apiTests = new ApiClientTests(Fixture);
        var credentials = await apiTests.CreateClientAsync(owner, ["webhooks.manage"]);
        using var api = await apiTests.ApiAsync(credentials);

        var created = await api.PostAsJsonAsync("/api/console/integrations/webhooks",
            new { url = "https://203.0.113.7/hook", events = new[] { WebhookEvents.TaskCompleted } });
        created.StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a documentation address is not public");
        (await api.PutAsJsonAsync("/api/console/integrations/settings", new { allowPrivateNetworkTargets = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await AllowPrivateNetworkAsync(owner);
        var allowed = await api.PostAsJsonAsync("/api/console/integrations/webhooks",
            new { url = "http://127.0.0.1:9/hook", events = new[] { WebhookEvents.TaskCompleted } });
        allowed.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Host.GetAsText("/api/console/integrations/webhooks", owner)).ShouldContain("127.0.0.1:9");
    }

    private PortalFixture Fixture { get; } = fixture;

    private async Task AllowPrivateNetworkAsync(ProviderActor owner, bool allow = true) =>
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { allowPrivateNetworkTargets = allow }).ToUrl("/api/console/integrations/settings");
            s.StatusCodeShouldBe(200);
        });

    private async Task<WebhookEndpointView> SubscribeAsync(ProviderActor owner, WebhookReceiver receiver, string[] events)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(owner);
            s.Post.Json(new { url = receiver.Url, events }).ToUrl("/api/console/integrations/webhooks");
            s.StatusCodeShouldBe(201);
        });
        var created = (await result.ReadAsJsonAsync<WebhookEndpointCreated>())!;
        created.SigningSecret.ShouldStartWith("whsec_");
        receiver.Secret = created.SigningSecret;
        return created.Endpoint;
    }

    private async Task<WebhookAttempt> WaitForAttemptAsync(ProviderActor owner, Guid endpointId) =>
        await WaitUntilAsync(async () =>
            (await Host.GetAsJson<WebhookDeliveryView[]>($"/api/console/integrations/webhooks/{endpointId}/deliveries", owner))
            .FirstOrDefault()?.Attempts.FirstOrDefault());

    private static async Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition was not met within a minute.");
            await Task.Delay(100);
        }
    }
}
