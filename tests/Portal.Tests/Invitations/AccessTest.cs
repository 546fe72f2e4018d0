using Alba;
using Portal.Contracts;
using Wolverine.Tracking;

namespace Portal.Tests.Invitations;

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

    /// <summary>Intake opens a task for the client, as it does: one task in a <see cref="TasksRequested"/> batch.</summary>
    protected Task<ITrackedSession> RequestTask(ClientActor client, string title = "Add your insurance")
    {
        var task = new TaskRequested(Guid.NewGuid(), Guid.NewGuid(), client.ClientId, client.Provider.ProviderId, TaskKind.AddInsurance,
            title, null, Clock.GetUtcNow(), null);
        return Host.PublishAndWaitAsync([new TasksRequested(Guid.NewGuid(), [task])]);
    }

    protected Task<IScenarioResult> CheckLink(string token, int status) => Host.Scenario(s =>
    {
        s.Post.Json(new { token }).ToUrl("/api/account/activation/check");
        s.StatusCodeShouldBe(status);
    });
}
