using Alba;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Access;

/// <summary>Helpers shared by the access tests: scenarios that wait for the messages they cause.</summary>
public abstract class AccessTest(PortalFixture fixture) : PortalTest(fixture)
{
    protected async Task<(ITrackedSession Tracked, IScenarioResult Result)> Post(ISignedIn? actor, string url, object? body, int status)
    {
        return await TrackedScenario(s =>
        {
            if (actor is not null) s.As(actor);
            if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
    }

    protected async Task<ITrackedSession> RequestTask(ClientActor client, string title = "Add your insurance")
    {
        var message = new TasksRequested(Guid.NewGuid(), [new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, client.Provider.ProviderId,
            TaskKind.AddInsurance, title, null, Clock.GetUtcNow(), null)]);
        return await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(context => context.PublishAsync(message).AsTask()));
    }

    protected static IReadOnlyList<T> MessagesOf<T>(ITrackedSession tracked) =>
        tracked.AllRecordsInOrder().Where(r => r.MessageEventType == MessageEventType.Sent || r.MessageEventType == MessageEventType.NoRoutes)
            .Select(r => r.Message).OfType<T>().DistinctBy(m => m).ToList();

    protected Task<IScenarioResult> CheckLink(string token, int status) => Host.Scenario(s =>
    {
        s.Post.Json(new { token }).ToUrl("/api/account/activation/check");
        s.StatusCodeShouldBe(status);
    });
}
