using System.Security.Claims;
using System.Text.Json;
using Alba;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Autopay;

public sealed record AutopayTestClient(Guid ClientId, Guid ProviderId, Guid UserId, string FirstName);

/// <summary>
/// Autopay tests through the real host: clients come from the roster message Autopay listens to, and sign-in cookies
/// are issued with the host's own cookie protection (the same cookie the sign-in endpoint sets).
/// </summary>
public abstract class AutopayTest(PortalFixture fixture) : PortalTest(fixture)
{
    public const string Consent = "2026-11-01";
    public const string ClientIp = "203.0.113.7";

    protected CapturedLogs Logs { get; } = fixture.Logs;

    protected async Task<AutopayTestClient> AClientAsync(bool hasActiveAccount = true)
    {
        var client = new AutopayTestClient(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Robin");
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).PublishMessageAndWaitAsync(new ClientRosterChanged(
            client.ClientId, client.ProviderId, Guid.NewGuid(), "Harbor Therapy", client.FirstName, "Client", $"robin.{client.ClientId:N}@example.org",
            new DateOnly(1990, 4, 2), Eligible: true, HasActiveAccount: hasActiveAccount, Version: 1));
        return client;
    }

    protected void AsClient(Scenario s, AutopayTestClient client) =>
        s.WithRequestHeader("Cookie", "portal.session=" + Cookie(PortalRoles.Client, client.UserId, "Robin Client",
            new Claim(PortalClaims.ClientId, client.ClientId.ToString())));

    protected void AsProvider(Scenario s, Guid providerId) =>
        s.WithRequestHeader("Cookie", "portal.session=" + Cookie(PortalRoles.Provider, providerId, "Dr. Avery Provider",
            new Claim(PortalClaims.ProviderId, providerId.ToString())));

    private string Cookie(string role, Guid userId, string name, params Claim[] extra)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, role),
                new Claim(PortalClaims.UserId, userId.ToString()),
                new Claim(PortalClaims.DisplayName, name),
                new Claim(PortalClaims.SessionStarted, Clock.GetUtcNow().ToUnixTimeSeconds().ToString()),
                .. extra,
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var options = Host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var now = Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddMinutes(30) },
            CookieAuthenticationDefaults.AuthenticationScheme);
        return options.TicketDataFormat.Protect(ticket);
    }

    /// <summary>A card expiry a year ahead of the portal's clock.</summary>
    protected (int Month, int Year) FutureExpiry()
    {
        var next = Clock.GetUtcNow().AddYears(1);
        return (next.Month, next.Year);
    }

    protected Task<IScenarioResult> TokenizeAsync(AutopayTestClient client, string number, int? month = null, int? year = null, string cvc = "123", int status = 200)
    {
        var (m, y) = FutureExpiry();
        return Host.Scenario(s =>
        {
            AsClient(s, client);
            s.Post.Json(new { number, expMonth = month ?? m, expYear = year ?? y, cvc }).ToUrl("/sandbox-gateway/tokens");
            s.StatusCodeShouldBe(status);
        });
    }

    protected async Task<string> TokenAsync(AutopayTestClient client, string number, int? month = null, int? year = null)
    {
        var result = await TokenizeAsync(client, number, month, year);
        return (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> EnrolAsync(AutopayTestClient client, string cardToken, int status = 200, bool agreed = true) =>
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

    protected async Task<(ITrackedSession Tracked, IScenarioResult Result)> EnrolWithCardAsync(AutopayTestClient client, string number, int? month = null, int? year = null) =>
        await EnrolAsync(client, await TokenAsync(client, number, month, year));

    protected Task<(ITrackedSession Tracked, IScenarioResult Result)> PostBalanceAsync(AutopayTestClient client, long amountCents, string key, int? status = null) =>
        TrackedScenario(s =>
        {
            AsProvider(s, client.ProviderId);
            s.Post.Json(new { amountCents, description = "Session on 2026-11-20", idempotencyKey = key })
                .ToUrl($"/api/autopay/clients/{client.ClientId}/charges");
            if (status is { } expected) s.StatusCodeShouldBe(expected);
        });

    protected async Task<JsonElement> MyAutopayAsync(AutopayTestClient client)
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

    /// <summary>The messages of a type a tracked session published, whether or not a module handles them yet.</summary>
    protected static IReadOnlyList<T> Published<T>(ITrackedSession tracked) =>
        tracked.AllRecordsInOrder()
            .Where(r => r.MessageEventType is MessageEventType.Sent or MessageEventType.NoRoutes && r.Message is T)
            .Select(r => (T)r.Message!)
            .Distinct()
            .ToList();
}
