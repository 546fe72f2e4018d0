using System.Text.Json;
using System.Text.Json.Serialization;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Contracts;
using Wolverine.Tracking;

namespace Portal.Tests.Intake;

/// <summary>
/// What the intake tests need around the real host: providers and clients made through the real roster and sign-in
/// (<see cref="Actors"/>), catalog facts published as the content module would publish them, and reading an
/// assignment's stream.
/// </summary>
internal sealed class IntakeTestKit(IAlbaHost host, FakeTimeProvider clock)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IAlbaHost Host { get; } = host;

    public Task<ProviderActor> NewProviderAsync() => Host.NewProviderAsync();

    /// <summary>A client the provider adds to their roster; the roster tells Intake about them.</summary>
    public async Task<Guid> NewClientAsync(ProviderActor provider, string firstName = "Ana") =>
        (await Host.AddClientAsync(provider, firstName)).ClientId;

    /// <summary>Signs the provider in again: sessions end 12 hours after sign-in, and tests move the clock by days.</summary>
    public async Task<ProviderActor> SignInAgainAsync(ProviderActor provider) =>
        provider with { Cookie = (await Host.SignInAsync(provider.Email, provider.Password)).Cookie };

    public async Task<Guid> PublishedDocumentAsync(ProviderActor provider, string title = "Privacy policy")
    {
        var id = Guid.NewGuid();
        await PublishAsync(new DocumentPublished(id, provider.PracticeId, title, 1, clock.GetUtcNow()));
        return id;
    }

    public async Task<Guid> PublishedFormAsync(ProviderActor provider, string title = "Intake questionnaire", params string[] fields)
    {
        var id = Guid.NewGuid();
        await PublishAsync(new IntakeFormPublished(id, provider.PracticeId, title, 1, fields, clock.GetUtcNow()));
        return id;
    }

    /// <summary>Publishes a message through the host's bus and waits until every handler it caused has run.</summary>
    public Task<ITrackedSession> PublishAsync(object message) => Host.PublishAndWaitAsync([message], failOnHandlerErrors: true);

    public string ProviderCookie(ProviderActor provider) => provider.Cookie;

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
