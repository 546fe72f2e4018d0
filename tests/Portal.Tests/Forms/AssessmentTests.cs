using Marten;
using Portal.Contracts;
using Portal.Forms.Assessments;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Forms;

public sealed class AssessmentTests(PortalFixture fixture) : FormsTest(fixture)
{
    private sealed record Completed(Guid ResultId, string Instrument);
    private sealed record ResultView(Guid Id, string Instrument, int Score, int MaxScore, string Severity, bool SafetyFlag, List<int> Answers);
    private sealed record ClientResults(Guid ClientId, List<ResultView> Results);

    [Fact]
    public async Task A_PHQ9_item_9_answer_above_0_publishes_SafetyFlagRaised_at_once_even_with_a_minimal_total()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (tracked, result) = await Tracked(client, HttpMethod.Post, "/api/portal/assessments/phq9",
            new { answers = new[] { 0, 0, 0, 0, 0, 0, 0, 0, 1 } }, 201);
        var completed = (await result.ReadAsJsonAsync<Completed>())!;

        var flag = Published<SafetyFlagRaised>(tracked).ShouldHaveSingleItem();
        flag.ClientId.ShouldBe(client.ClientId);
        flag.ProviderId.ShouldBe(provider.ProviderId);
        flag.ResultId.ShouldBe(completed.ResultId);
        flag.Instrument.ShouldBe("phq9");

        var done = Published<AssessmentCompleted>(tracked).ShouldHaveSingleItem();
        done.Score.ShouldBe(1);
        done.Severity.ShouldBe("minimal");
        done.SafetyFlag.ShouldBeTrue();

        await using var session = OpenSession();
        var stored = await session.LoadAsync<AssessmentResult>(completed.ResultId);
        stored!.SafetyFlag.ShouldBeTrue();
        stored.Answers.ShouldBe([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    }

    [Fact]
    public async Task A_severe_PHQ9_with_item_9_at_0_completes_without_a_safety_flag()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (tracked, _) = await Tracked(client, HttpMethod.Post, "/api/portal/assessments/phq9",
            new { answers = new[] { 3, 3, 3, 3, 3, 3, 3, 3, 0 } }, 201);

        Published<SafetyFlagRaised>(tracked).ShouldBeEmpty();
        var done = Published<AssessmentCompleted>(tracked).ShouldHaveSingleItem();
        done.Score.ShouldBe(24);
        done.Severity.ShouldBe("severe");
        done.SafetyFlag.ShouldBeFalse();
    }

    [Fact]
    public async Task Answers_that_do_not_fit_the_instrument_are_refused_with_400_and_an_unknown_instrument_with_404()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { answers = new[] { 0, 1, 2 } }, 400);
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { answers = new[] { 0, 1, 2, 3, 4, 0, 0 } }, 400);
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { }, 400);
        await Send(client, HttpMethod.Post, "/api/portal/assessments/pcl5", new { answers = new[] { 0 } }, 404);

        await using var session = OpenSession();
        (await session.Query<AssessmentResult>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task The_provider_sees_scores_over_time_and_a_trend_chart_and_another_provider_gets_404()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { answers = new[] { 3, 3, 3, 2, 2, 1, 1 } }, 201);
        Clock.Advance(TimeSpan.FromDays(14));
        // Sessions do not last two weeks: both sign in again.
        client = client with { Cookie = (await Host.SignInAsync(client.Email, client.Password!)).Cookie };
        provider = provider with { Cookie = (await Host.SignInAsync(provider.Email, provider.Password)).Cookie };
        await Send(client, HttpMethod.Post, "/api/portal/assessments/gad7", new { answers = new[] { 1, 1, 1, 1, 1, 0, 0 } }, 201);

        var results = await Json<ClientResults>(provider, HttpMethod.Get, $"/api/clients/{client.ClientId}/assessments", null, 200);
        results.Results.Select(r => (r.Score, r.Severity)).ShouldBe([(15, "severe"), (5, "mild")]);

        var chart = await (await Send(provider, HttpMethod.Get, $"/api/clients/{client.ClientId}/assessments/gad7/chart.svg", null, 200))
            .ReadAsTextAsync();
        chart.ShouldStartWith("<svg");
        chart.ShouldContain("<polyline");
        chart.ShouldContain("15 (severe)");
        chart.ShouldContain("5 (mild)");

        var profile = await (await Send(provider, HttpMethod.Get, $"/console/clients/{client.ClientId}", null, 200)).ReadAsTextAsync();
        profile.ShouldContain("GAD-7");
        profile.ShouldContain("<svg");

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Get, $"/api/clients/{client.ClientId}/assessments", null, 404);
        await Send(stranger, HttpMethod.Get, $"/api/clients/{client.ClientId}/assessments/gad7/chart.svg", null, 404);
    }

    [Fact]
    public async Task A_recurring_assessment_is_requested_at_once_and_the_workflow_engine_asks_again_weeks_after_the_last_one_opened()
    {
        var provider = await Host.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);

        var (tracked, result) = await Tracked(provider, HttpMethod.Post, $"/api/clients/{client.ClientId}/assessment-schedules",
            new { instrument = "phq9", everyWeeks = 2 }, 201);
        var created = await result.ReadAsJsonAsync<System.Text.Json.JsonElement>();
        created.GetProperty("nextDueAt").GetDateTimeOffset().ShouldBe(Clock.GetUtcNow().AddDays(14));
        var first = Published<AssessmentRequested>(tracked).ShouldHaveSingleItem();
        (first.ScheduleId, first.ClientId, first.Instrument, first.Occurrence)
            .ShouldBe((created.GetProperty("scheduleId").GetGuid(), client.ClientId, "phq9", 1));
        // One way to repeat: the engine's, not a timer of the schedule's own.
        tracked.Scheduled.MessagesOf<AssessmentRecurrenceDue>().ShouldBeEmpty();
        var firstTask = Published<TaskRequested>(tracked).ShouldHaveSingleItem();

        var (answered, _) = await Tracked(client, HttpMethod.Post, "/api/portal/assessments/phq9",
            new { answers = new[] { 1, 1, 1, 1, 1, 1, 1, 1, 0 } }, 201);
        Published<TaskClosed>(answered).ShouldHaveSingleItem().TaskId.ShouldBe(firstTask.TaskId);
        Clock.Advance(TimeSpan.FromDays(14));
        var replayed = await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        var second = Published<TaskRequested>(replayed).ShouldHaveSingleItem();
        (second.AssignmentId, second.SubjectId).ShouldBe((firstTask.AssignmentId, "phq9"));
        second.TaskId.ShouldNotBe(firstTask.TaskId);

        var stranger = await Host.NewProviderAsync();
        await Send(stranger, HttpMethod.Post, $"/api/clients/{client.ClientId}/assessment-schedules",
            new { instrument = "phq9", everyWeeks = 2 }, 404);
    }
}
