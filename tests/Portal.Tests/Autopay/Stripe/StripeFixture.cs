using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.Time.Testing;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay.Stripe;

/// <summary>
/// The portal in Stripe mode (Payments:Provider=Stripe, test keys from settings as the environment would give them),
/// its Stripe client pointed at <see cref="FakeStripe"/>, on a database of its own (portal_stripe); otherwise started
/// as the shared host is (<see cref="TestHosts"/>).
/// </summary>
public sealed class StripeFixture : IAsyncLifetime, ITestPortal
{
    public IAlbaHost Host { get; private set; } = null!;
    public FakeStripe Stripe { get; } = new();
    public MailCapture Mail { get; } = new();
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public CapturedLogs Logs { get; } = new();
    internal ScratchDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        Database = await ScratchDatabase.EnsureAsync("portal_stripe");
        Mail.Start();
        var settings = TestHosts.SendingMailTo(Mail);
        settings["ConnectionStrings:Portal"] = Database.ConnectionString;
        settings["Portal:RateLimits:AccountRequestsPerMinute"] = "10000";
        settings["Payments:Provider"] = "Stripe";
        settings["Payments:Stripe:SecretKey"] = FakeStripe.SecretKey;
        settings["Payments:Stripe:PublishableKey"] = FakeStripe.PublishableKey;
        settings["Payments:Stripe:WebhookSecret"] = FakeStripe.WebhookSecret;
        settings["Payments:Stripe:ApiBase"] = Stripe.ApiBase;
        settings["Payments:Stripe:FsaBins"] = "409999";
        settings["Payments:Stripe:HsaBins"] = "559999";
        Host = await TestHosts.StartAsync(Clock, Logs, settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Stripe.DisposeAsync();
        await Mail.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class StripeCollection : ICollectionFixture<StripeFixture>
{
    public const string Name = "stripe";
}

/// <summary>Base class of the Stripe-mode tests: as <see cref="PortalTest"/>, and an empty fake Stripe before each test.</summary>
[Collection(StripeCollection.Name)]
public abstract class StripeTest(StripeFixture fixture) : PortalTest(fixture)
{
    public const string Consent = "2026-11-01";

    protected FakeStripe Stripe => fixture.Stripe;
    internal ScratchDatabase Database => fixture.Database;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Stripe.Clear();
    }

    protected async Task<ClientActor> AClientAsync() => await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());

    protected (int Month, int Year) FutureExpiry()
    {
        var next = Clock.GetUtcNow().AddYears(2);
        return (next.Month, next.Year);
    }

    /// <summary>What the card form does in Stripe mode: ask the portal for a SetupIntent, then confirm it as Stripe.js would.</summary>
    protected async Task<string> SetUpCardAsync(ClientActor client, string number, (int Month, int Year)? expiry = null)
    {
        var entry = await Host.Scenario(s =>
        {
            s.As(client);
            s.Post.Url("/api/autopay/card-entry");
            s.StatusCodeShouldBeOk();
        });
        var body = await entry.ReadAsJsonAsync<JsonElement>();
        body.GetProperty("provider").GetString().ShouldBe("Stripe");
        body.GetProperty("publishableKey").GetString().ShouldBe(FakeStripe.PublishableKey);
        var (month, year) = expiry ?? FutureExpiry();
        return Stripe.ConfirmSetup(body.GetProperty("clientSecret").GetString()!, number, month, year);
    }

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> EnrolAsync(ClientActor client, string setupIntentId, int status = 200) =>
        Host.TrackedScenarioAsync(s =>
        {
            s.As(client);
            s.Post.Json(new
            {
                cardToken = setupIntentId, cardholderName = "Robin Client", billingPostalCode = "97201",
                consentVersion = Consent, agreedToAuthorization = true,
            }).ToUrl("/api/autopay/enrolment");
            s.StatusCodeShouldBe(status);
        });

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> PostBalanceAsync(
        ClientActor client, long amountCents, string key, int? status = null, ISignedIn? by = null) =>
        Host.TrackedScenarioAsync(s =>
        {
            s.As(by ?? client.Provider);
            s.Post.Json(new { amountCents, description = "Session on 2026-11-20", idempotencyKey = key })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges");
            if (status is { } expected) s.StatusCodeShouldBe(expected);
        });

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> RefundAsync(
        ClientActor client, string chargeKey, long amountCents, string key, ISignedIn by, string? reason = "Session cancelled by the practice") =>
        Host.TrackedScenarioAsync(s =>
        {
            s.As(by);
            s.Post.Json(new { amountCents, reason, idempotencyKey = key })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges/{chargeKey}/refunds");
            s.IgnoreStatusCode();
        });

    protected async Task<JsonElement> MyAutopayAsync(ClientActor client)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(client);
            s.Get.Url("/api/autopay");
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    protected async Task<JsonElement> ClientAutopayAsync(ClientActor client)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(client.Provider);
            s.Get.Url($"/api/autopay/clients/{client.ClientId}");
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>Posts a signed event to the webhook as Stripe would, and waits for everything it caused.</summary>
    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> DeliverAsync(string payload, string? signature, int status = 200) =>
        Host.TrackedScenarioAsync(s =>
        {
            s.Post.Text(payload).ToUrl("/webhooks/stripe");
            s.WithRequestHeader("Content-Type", "application/json; charset=utf-8");
            if (signature is not null) s.WithRequestHeader("Stripe-Signature", signature);
            s.StatusCodeShouldBe(status);
        });

    protected long Now() => Clock.GetUtcNow().ToUnixTimeSeconds();
}
