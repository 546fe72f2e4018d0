using System.Text.Json;
using Alba;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay;

/// <summary>
/// Autopay tests through the real host, with people created and signed in through the real endpoints (Actors).
/// </summary>
public abstract class AutopayTest(PortalFixture fixture) : PortalTest(fixture)
{
    public const string Consent = "2026-11-01";
    public const string ClientIp = "203.0.113.7";

    /// <summary>A provider, and a client of theirs with an active portal account, both signed in.</summary>
    protected async Task<ClientActor> AClientAsync() => await Host.NewClientWithAccountAsync(await Host.NewProviderAsync());

    protected static void AsClient(Scenario s, ClientActor client) => s.As(client);

    protected static void AsProvider(Scenario s, ClientActor client) => s.As(client.Provider);

    /// <summary>Sessions end after 12 hours however active: after the clock moves on, both sign in again.</summary>
    protected async Task<ClientActor> SignInAgainAsync(ClientActor client)
    {
        var (clientCookie, _) = await Host.SignInAsync(client.Email, client.Password!);
        var (providerCookie, _) = await Host.SignInAsync(client.Provider.Email, client.Provider.Password);
        return client with { Cookie = clientCookie, Provider = client.Provider with { Cookie = providerCookie } };
    }

    protected async Task<Guid> UserIdOf(ISignedIn actor)
    {
        var me = await Host.Scenario(s =>
        {
            s.As(actor);
            s.Get.Url("/api/account/me");
        });
        return (await me.ReadAsJsonAsync<JsonElement>()).GetProperty("userId").GetGuid();
    }

    /// <summary>A card expiry a year ahead of the portal's clock.</summary>
    protected (int Month, int Year) FutureExpiry()
    {
        var next = Clock.GetUtcNow().AddYears(1);
        return (next.Month, next.Year);
    }

    protected Task<IScenarioResult> TokenizeAsync(
        ClientActor client, string number, int? month = null, int? year = null, string cvc = "123", int status = 200)
    {
        var (m, y) = FutureExpiry();
        return Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Post.Json(new { number, expMonth = month ?? m, expYear = year ?? y, cvc }).ToUrl("/sandbox-gateway/tokens");
            s.StatusCodeShouldBe(status);
        });
    }

    protected async Task<string> TokenAsync(ClientActor client, string number, int? month = null, int? year = null)
    {
        var result = await TokenizeAsync(client, number, month, year);
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> EnrolAsync(
        ClientActor client, string cardToken, int status = 200, bool agreed = true) =>
        TrackedScenario(s =>
        {
            AsClient(s, client);
            s.Post.Json(new
            {
                cardToken,
                cardholderName = "Robin Client",
                billingPostalCode = "97201",
                consentVersion = Consent,
                agreedToAuthorization = agreed,
            }).ToUrl("/api/autopay/enrolment");
            s.WithRequestHeader("User-Agent", "AutopayTests/1.0");
            s.ConfigureHttpContext(http => http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(ClientIp));
            s.StatusCodeShouldBe(status);
        });

    protected async Task<(ITrackedSession Tracked, IScenarioResult Result)> EnrolWithCardAsync(
        ClientActor client, string number, int? month = null, int? year = null) =>
        await EnrolAsync(client, await TokenAsync(client, number, month, year));

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> PostBalanceAsync(
        ClientActor client, long amountCents, string key, int? status = null) =>
        TrackedScenario(s =>
        {
            AsProvider(s, client);
            s.Post.Json(new { amountCents, description = "Session on 2026-11-20", idempotencyKey = key })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges");
            if (status is { } expected) s.StatusCodeShouldBe(expected);
        });

    protected async Task<JsonElement> MyAutopayAsync(ClientActor client)
    {
        var result = await Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Get.Url("/api/autopay");
        });
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("autopay");
    }

    protected static async Task<string> TitleOf(IScenarioResult result) =>
        (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString()!;
}
