using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Alba;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Intake;

/// <summary>A provider of a practice, as the tests sign them in.</summary>
internal sealed record TestProvider(Guid ProviderId, Guid PracticeId, string Name);

/// <summary>
/// What the intake tests need around the real host: roster and catalog facts published as the other modules would
/// publish them, signed-in session cookies, and reading an assignment's stream.
/// </summary>
internal sealed class IntakeTestKit(IAlbaHost host, FakeTimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IAlbaHost Host { get; } = host;

    public TestProvider NewProvider(string name = "Dr. Rivera") => new(Guid.NewGuid(), Guid.NewGuid(), name);

    /// <summary>Publishes the roster's picture of a new client of the provider and waits until Intake has it.</summary>
    public async Task<Guid> NewClientAsync(TestProvider provider, string firstName = "Ana")
    {
        var clientId = Guid.NewGuid();
        await PublishAsync(new ClientRosterChanged(clientId, provider.ProviderId, provider.PracticeId, "Calm Practice", firstName, "Client",
            $"{firstName.ToLowerInvariant()}.{clientId:N}@example.test", new DateOnly(1990, 1, 1), Eligible: true, HasActiveAccount: true, Version: 1));
        return clientId;
    }

    public async Task<Guid> PublishedDocumentAsync(TestProvider provider, string title = "Privacy policy")
    {
        var id = Guid.NewGuid();
        await PublishAsync(new DocumentPublished(id, provider.PracticeId, title, 1, clock.GetUtcNow()));
        return id;
    }

    public async Task<Guid> PublishedFormAsync(TestProvider provider, string title = "Intake questionnaire", params string[] fields)
    {
        var id = Guid.NewGuid();
        await PublishAsync(new IntakeFormPublished(id, provider.PracticeId, title, 1, fields, clock.GetUtcNow()));
        return id;
    }

    /// <summary>Publishes a message through the host's bus and waits until every handler it caused has run.</summary>
    public Task<ITrackedSession> PublishAsync(object message) =>
        Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).IncludeExternalTransports()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(context => context.PublishAsync(message).AsTask()));

    public string ProviderCookie(TestProvider provider) => Cookie(
        new Claim(ClaimTypes.Role, PortalRoles.Provider),
        new Claim(PortalClaims.UserId, provider.ProviderId.ToString()),
        new Claim(PortalClaims.ProviderId, provider.ProviderId.ToString()),
        new Claim(PortalClaims.PracticeId, provider.PracticeId.ToString()),
        new Claim(PortalClaims.DisplayName, provider.Name));

    public string ClientCookie(Guid clientId) => Cookie(
        new Claim(ClaimTypes.Role, PortalRoles.Client),
        new Claim(PortalClaims.UserId, Guid.NewGuid().ToString()),
        new Claim(PortalClaims.ClientId, clientId.ToString()),
        new Claim(PortalClaims.DisplayName, "Ana Client"));

    /// <summary>
    /// A session cookie the host's own cookie authentication accepts: the ticket is protected with the host's keys,
    /// exactly as sign-in would write it.
    /// </summary>
    private string Cookie(params Claim[] claims)
    {
        var options = Host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [.. claims, new Claim(PortalClaims.SessionStarted, clock.GetUtcNow().ToUnixTimeSeconds().ToString())],
            CookieAuthenticationDefaults.AuthenticationScheme));
        var now = clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddYears(1) },
            CookieAuthenticationDefaults.AuthenticationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }

    public async Task<IReadOnlyList<object>> EventsAsync(Guid assignmentId)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var events = await session.Events.FetchStreamAsync(assignmentId);
        return [.. events.Select(e => e.Data)];
    }

    public static async Task<JsonElement> ReadJsonAsync(IScenarioResult result) =>
        JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
}

internal static class ScenarioExtensions
{
    public static void SignedIn(this Scenario scenario, string cookie) => scenario.WithRequestHeader("Cookie", cookie);

    public static void PostJsonTo(this Scenario scenario, object body, string url) =>
        scenario.Post.Json(body).ToUrl(url);

    public static void PutJsonTo(this Scenario scenario, object body, string url) =>
        scenario.Put.Json(body).ToUrl(url);
}

internal static class TrackedSessionExtensions
{
    /// <summary>
    /// The messages of type T the session published, whether or not a module handles them yet (Notifications and
    /// Invitations may not listen to every fact), each once although it may go to several queues.
    /// </summary>
    public static IReadOnlyList<T> Published<T>(this ITrackedSession tracked) =>
    [
        .. tracked.AllRecordsInOrder()
            .Where(r => r.MessageEventType is MessageEventType.Sent or MessageEventType.NoRoutes && r.Message is T)
            .Select(r => r.Envelope!)
            .DistinctBy(e => e.Id)
            .Select(e => (T)e.Message!)
            .Distinct(),
    ];
}
