using System.Globalization;
using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Timers;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Intake;

/// <summary>
/// Workflows v2 (#30 items 1 and 3): tasks that open and fall due from an assignment's named dates, wait while a date
/// is missing, re-plan durably when it changes, and repeat every N weeks (N times, or until discharge).
/// </summary>
public sealed class DatesAndRepeatTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    /// <summary>"Add your insurance": open 7 days before the first session, due 2 days before it.</summary>
    private static TaskSpec InsuranceBeforeFirstSession => new("insurance", TaskKind.AddInsurance)
    {
        Opens = new DateAnchor("firstSession", -7), Due = new DateAnchor("firstSession", -2),
    };

    [Fact]
    public async Task A_task_waiting_for_the_first_session_date_asks_nothing_holds_its_stage_and_opens_when_the_date_is_set()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Host.NewClientWithAccountAsync(provider);
        var workflowId = await PublishedAsync(provider,
            new StageSpec("Before the first session", [Task("phq9", TaskKind.CompleteAssessment, "phq9"), InsuranceBeforeFirstSession]),
            new StageSpec("After", [Task("consent", TaskKind.EnrollInAutopay)]));

        var (assigned, assignmentId) = await AssignOneAsync(provider, workflowId, client.ClientId);

        assigned.Published<TaskRequested>().ShouldHaveSingleItem().SubjectId.ShouldBe("phq9");
        var waiting = TaskOf(await AssignmentAsync(provider, assignmentId), "insurance");
        waiting.GetProperty("status").GetString().ShouldBe("Waiting");
        waiting.GetProperty("waitingFor").GetString().ShouldBe("firstSession");
        waiting.GetProperty("waitingSentence").GetString().ShouldBe("Waiting for the first-session date.");
        (await OpenLinksAsync(client)).ShouldBe(["/portal/assessments/phq9"]);

        // The PHQ-9 answered: the stage still waits for the insurance task, so the next stage does not open.
        var answered = await AnswerAsync(provider, client.ClientId, "phq9");
        answered.Published<TaskRequested>().ShouldBeEmpty();
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentStageStarted>().Count().ShouldBe(1);

        // The first session is in three days: "7 days before" has passed, so the task opens at once, due 2 days before.
        var session = Today(NewYork).AddDays(3);
        var (set, body) = await SetDateAsync(provider, assignmentId, "firstSession", Local(session, 15), 200);

        var opened = set.Published<TaskRequested>().ShouldHaveSingleItem();
        (opened.ClientId, opened.Kind).ShouldBe((client.ClientId, TaskKind.AddInsurance));
        opened.DueAt.ShouldBe(EndOfDay(session.AddDays(-2), NewYork));
        TaskOf(body, "insurance").GetProperty("status").GetString().ShouldBe("Open");
        body.GetProperty("dates").GetProperty("firstSession").GetProperty("local").GetString().ShouldBe(Local(session, 15));
        (await OpenLinksAsync(client)).ShouldBe(["/portal/insurance"]);
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentDateSet>().ShouldHaveSingleItem().SetBy.DisplayName.ShouldBe(provider.Name);
    }

    [Fact]
    public async Task Changing_the_date_re_plans_the_opening_the_old_timer_does_nothing_and_the_new_one_opens_the_task_once()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new StageSpec("Before the first session", [InsuranceBeforeFirstSession]));
        var first = Today(NewYork).AddDays(20);

        var (assigned, assignmentId) = await AssignOneAsync(provider, workflowId, client, new { firstSession = Local(first, 15) });

        assigned.Published<TaskRequested>().ShouldBeEmpty();
        var oldTimer = assigned.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem();
        oldTimer.OpensAt.ShouldBe(StartOfDay(first.AddDays(-7), NewYork));
        var scheduled = TaskOf(await AssignmentAsync(provider, assignmentId), "insurance");
        scheduled.GetProperty("status").GetString().ShouldBe("Scheduled");
        scheduled.GetProperty("opensAt").GetDateTimeOffset().ShouldBe(oldTimer.OpensAt);

        var later = first.AddDays(10);
        var (moved, body) = await SetDateAsync(provider, assignmentId, "firstSession", Local(later, 15), 200);
        var newTimer = moved.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem();
        newTimer.OpensAt.ShouldBe(StartOfDay(later.AddDays(-7), NewYork));
        moved.Published<TaskRequested>().ShouldBeEmpty();
        TaskOf(body, "insurance").GetProperty("opensAt").GetDateTimeOffset().ShouldBe(newTimer.OpensAt);

        // The old moment comes: its timer finds a different plan and opens nothing.
        Clock.Advance(TimeSpan.FromDays(14));
        var stale = await assigned.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        stale.Published<TaskRequested>().ShouldBeEmpty();
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskRequested>().ShouldBeEmpty();

        // The new moment comes: the task opens, due 2 days before the new date; delivered again, nothing more.
        Clock.Advance(TimeSpan.FromDays(10));
        var fired = await moved.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        var opened = fired.Published<TaskRequested>().ShouldHaveSingleItem();
        opened.DueAt.ShouldBe(EndOfDay(later.AddDays(-2), NewYork));
        var again = await moved.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        again.Published<TaskRequested>().ShouldBeEmpty();
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskRequested>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_due_date_is_a_day_in_the_client_s_zone_and_moves_with_its_date_without_the_old_due_timer_firing()
    {
        var provider = await Kit.NewProviderAsync();
        await SetPracticeZoneAsync(provider, "America/Los_Angeles");
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new StageSpec("Paperwork",
            [new TaskSpec("insurance", TaskKind.AddInsurance) { Due = new DateAnchor("firstSession", -2) }]));
        var session = Today(LosAngeles).AddDays(10);

        var (assigned, assignmentId) = await AssignOneAsync(provider, workflowId, client, new { firstSession = Local(session, 9) });

        // Due on the day two days before the session, on the practice's (Pacific) calendar: the last second of that day.
        var dueAt = assigned.Published<TaskRequested>().ShouldHaveSingleItem().DueAt!.Value;
        var dueLocal = TimeZoneInfo.ConvertTime(dueAt, LosAngeles);
        (DateOnly.FromDateTime(dueLocal.DateTime), dueLocal.TimeOfDay).ShouldBe((session.AddDays(-2), new TimeSpan(23, 59, 59)));
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(dueAt, NewYork).DateTime).ShouldBe(session.AddDays(-1), "an Eastern midnight would be a different day");
        var timeline = await TimelineAsync(provider, assignmentId);
        timeline.ShouldContain(line => line.Contains($"due {session.AddDays(-2).ToString("MMM d, yyyy", CultureInfo.InvariantCulture)}"));

        // The session moves five days later: the due date follows, and the first due moment passes without "overdue".
        var moved = session.AddDays(5);
        var (changed, _) = await SetDateAsync(provider, assignmentId, "firstSession", Local(moved, 9), 200);
        var newDue = (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskDueChanged>().ShouldHaveSingleItem().DueAt!.Value;
        newDue.ShouldBe(EndOfDay(moved.AddDays(-2), LosAngeles));
        changed.Scheduled.MessagesOf<MarkTaskOverdue>().ShouldHaveSingleItem().DueAt.ShouldBe(newDue);

        Clock.Advance(dueAt - Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await assigned.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskOverdue>().ShouldBeEmpty("the task is due five days later now");

        Clock.Advance(newDue - Clock.GetUtcNow() + TimeSpan.FromHours(1));
        await changed.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        await changed.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentTaskOverdue>().ShouldHaveSingleItem().DueAt.ShouldBe(newDue);
    }

    [Fact]
    public async Task A_task_repeating_three_times_opens_each_occurrence_two_weeks_after_the_last_opened_then_the_workflow_ends()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new StageSpec("Measure",
            [new TaskSpec("phq9", TaskKind.CompleteAssessment, "phq9", DueInDays: 7) { Repeat = new RepeatSpec(2, Times: 3) }]));

        var (assigned, assignmentId) = await AssignOneAsync(provider, workflowId, client);
        var requested = assigned.Published<TaskRequested>().ShouldHaveSingleItem();
        var taskIds = new List<Guid> { requested.TaskId };

        for (var occurrence = 1; occurrence <= 3; occurrence++)
        {
            var answered = await AnswerAsync(provider, client, "phq9");
            answered.Published<TaskClosed>().ShouldHaveSingleItem().TaskId.ShouldBe(taskIds[^1]);
            if (occurrence == 3)
            {
                answered.Published<AssignmentCompleted>().ShouldHaveSingleItem().ClientId.ShouldBe(client);
                answered.Scheduled.MessagesOf<OpenScheduledTask>().ShouldBeEmpty();
                break;
            }

            answered.Published<AssignmentCompleted>().ShouldBeEmpty("the repetition has not ended");
            var timer = answered.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem();
            (timer.Occurrence, timer.OpensAt).ShouldBe((occurrence + 1, requested.RequestedAt.AddDays(14)));

            Clock.Advance(TimeSpan.FromDays(14));
            requested = (await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30))).Published<TaskRequested>().ShouldHaveSingleItem();
            requested.DueAt.ShouldBe(requested.RequestedAt.AddDays(7));
            taskIds.Add(requested.TaskId);
        }

        taskIds.Distinct().Count().ShouldBe(3);
        var tasks = (await AssignmentAsync(provider, assignmentId)).GetProperty("tasks").EnumerateArray().ToList();
        tasks.Select(t => (t.GetProperty("occurrence").GetInt32(), t.GetProperty("status").GetString()))
            .ShouldBe([(1, "Completed"), (2, "Completed"), (3, "Completed")]);
        (await AssignmentAsync(provider, assignmentId)).GetProperty("status").GetString().ShouldBe("Completed");
    }

    [Fact]
    public async Task A_task_repeating_until_discharge_keeps_opening_and_the_discharge_stops_it_without_reopening_what_was_done()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new StageSpec("Measure",
            [new TaskSpec("gad7", TaskKind.CompleteAssessment, "gad7") { Repeat = new RepeatSpec(1, UntilDischarge: true) }]));
        var (assigned, assignmentId) = await AssignOneAsync(provider, workflowId, client);
        var first = assigned.Published<TaskRequested>().ShouldHaveSingleItem();

        var answered = await AnswerAsync(provider, client, "gad7");
        Clock.Advance(TimeSpan.FromDays(7));
        var second = (await answered.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30))).Published<TaskRequested>().ShouldHaveSingleItem();
        second.TaskId.ShouldNotBe(first.TaskId);
        var answeredAgain = await AnswerAsync(provider, client, "gad7");
        answeredAgain.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem().Occurrence.ShouldBe(3);

        provider = await Kit.SignInAgainAsync(provider);
        var (discharged, _) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { reason = "Treatment goals met" }).ToUrl($"/api/console/clients/{client}/discharge");
            s.StatusCodeShouldBeOk();
        });
        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentCancelled>().ShouldHaveSingleItem();

        Clock.Advance(TimeSpan.FromDays(8));
        var fired = await answeredAgain.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        fired.Published<TaskRequested>().ShouldBeEmpty();
        var tasks = (await AssignmentAsync(provider, assignmentId)).GetProperty("tasks").EnumerateArray().ToList();
        tasks.Where(t => t.GetProperty("status").GetString() == "Completed").Select(t => t.GetProperty("occurrence").GetInt32())
            .ShouldBe([1, 2]);
        tasks.ShouldNotContain(t => t.GetProperty("status").GetString() == "Open");
    }

    [Fact]
    public async Task The_owner_defines_the_practice_s_dates_and_assignments_accept_only_those_given_as_practice_local_times()
    {
        var owner = await Kit.NewProviderAsync();
        var frontDesk = await Host.NewMemberAsync(owner, StaffRole.FrontDesk);
        var dates = await GetJsonAsync(frontDesk, "/api/workflows/dates");
        dates.GetProperty("dates").EnumerateArray().Select(d => (d.GetProperty("name").GetString(), d.GetProperty("builtIn").GetBoolean()))
            .ShouldBe([("firstSession", true)]);

        await PutDatesAsync(frontDesk, new { dates = new[] { new { name = "intakeCall", label = "Intake call" } } }, 403);
        var refused = await PutDatesAsync(owner, new { dates = new[] { new { name = "Intake call", label = "" } } }, 400);
        refused.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["dates[0].name", "dates[0].label"], ignoreOrder: true);
        await PutDatesAsync(owner, new { dates = new[] { new { name = "firstSession", label = "First" } } }, 400);
        await PutDatesAsync(owner, new { dates = new[] { new { name = "intakeCall", label = "Intake call" } } }, 200);
        (await GetJsonAsync(frontDesk, "/api/workflows/dates")).GetProperty("dates").EnumerateArray()
            .Select(d => d.GetProperty("label").GetString()).ShouldBe(["First session", "Intake call"]);

        var client = await Kit.NewClientAsync(owner);
        var workflowId = await PublishedAsync(owner, new StageSpec("Call",
            [new TaskSpec("autopay", TaskKind.EnrollInAutopay) { Opens = new DateAnchor("intakeCall", 0) }]));
        var day = Today(NewYork).AddDays(5);
        var unknown = await AssignRefusedAsync(frontDesk, workflowId, client, new { lastSession = Local(day, 9) });
        unknown.GetProperty("errors").TryGetProperty("dates.lastSession", out _).ShouldBeTrue(unknown.ToString());
        var notATime = await AssignRefusedAsync(frontDesk, workflowId, client, new { intakeCall = "next Tuesday" });
        notATime.GetProperty("errors").TryGetProperty("dates.intakeCall", out _).ShouldBeTrue(notATime.ToString());
        (await AssignmentsOfAsync(client)).ShouldBeEmpty("a refused assignment assigns nobody");

        var (assigned, assignmentId) = await AssignOneAsync(frontDesk, workflowId, client, new { intakeCall = Local(day, 9) });
        assigned.Scheduled.MessagesOf<OpenScheduledTask>().ShouldHaveSingleItem().OpensAt.ShouldBe(StartOfDay(day, NewYork));
        await SetDateAsync(frontDesk, assignmentId, "nope", Local(day, 9), 400);
        await SetDateAsync(frontDesk, assignmentId, "intakeCall", "2027-13-45T99:00", 400);
        var stranger = await Kit.NewProviderAsync();
        await SetDateAsync(stranger, assignmentId, "intakeCall", Local(day, 9), 404);
    }

    [Fact]
    public async Task A_due_without_a_date_counts_from_the_opening_so_a_negative_one_is_refused_naming_the_field()
    {
        var provider = await Kit.NewProviderAsync();
        var before = new WorkflowContent("Due before it opens",
            [new StageSpec("Paperwork", [new TaskSpec("insurance", TaskKind.AddInsurance) { Due = new DateAnchor(null, -2) }])]);
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(before, "/api/workflows");
            s.StatusCodeShouldBe(400);
        });
        var problem = await IntakeTestKit.ReadJsonAsync(result);
        problem.GetProperty("errors").TryGetProperty("stages[0].tasks[0].due", out _).ShouldBeTrue(problem.ToString());

        // Opening 3 days into the stage and due 2 days after that is a valid plan, not "due before it opens".
        await CreateWorkflowAsync(provider, new WorkflowContent("Due after it opens",
            [new StageSpec("Paperwork", [new TaskSpec("insurance", TaskKind.AddInsurance)
                { Opens = new DateAnchor(null, 3), Due = new DateAnchor(null, 2) }])]));
    }

    private async Task<Guid> PublishedAsync(ProviderActor provider, params StageSpec[] stages)
    {
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Dated intake", stages));
        await PublishAsync(provider, workflowId);
        return workflowId;
    }

    private async Task<(ITrackedSession Tracked, Guid AssignmentId)> AssignOneAsync(ProviderActor provider, Guid workflowId, Guid clientId,
        object? dates = null)
    {
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { clientIds = new[] { clientId }, dates }).ToUrl($"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBeOk();
        });
        var json = await IntakeTestKit.ReadJsonAsync(result);
        return (tracked, json.GetProperty("assignments")[0].GetProperty("assignmentId").GetGuid());
    }

    private async Task<JsonElement> AssignRefusedAsync(ProviderActor provider, Guid workflowId, Guid clientId, object dates)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Post.Json(new { clientIds = new[] { clientId }, dates }).ToUrl($"/api/workflows/{workflowId}/assignments");
            s.StatusCodeShouldBe(400);
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private async Task<(ITrackedSession Tracked, JsonElement Body)> SetDateAsync(ProviderActor provider, Guid assignmentId, string name,
        string value, int status)
    {
        var (tracked, result) = await TrackedScenario(s =>
        {
            s.As(provider);
            s.Put.Json(new { value }).ToUrl($"/api/assignments/{assignmentId}/dates/{name}");
            s.StatusCodeShouldBe(status);
        });
        return (tracked, await IntakeTestKit.ReadJsonAsync(result));
    }

    private async Task<JsonElement> PutDatesAsync(ProviderActor provider, object body, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Put.Json(body).ToUrl("/api/workflows/dates");
            s.StatusCodeShouldBe(status);
        });
        var text = await result.ReadAsTextAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> GetJsonAsync(ProviderActor provider, string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(provider);
            s.Get.Url(url);
            s.StatusCodeShouldBeOk();
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private async Task<JsonElement> AssignmentAsync(ProviderActor provider, Guid assignmentId) =>
        (await GetJsonAsync(await Kit.SignInAgainAsync(provider), $"/api/assignments/{assignmentId}")).GetProperty("assignment");

    private async Task<IReadOnlyList<string>> TimelineAsync(ProviderActor provider, Guid assignmentId) =>
    [
        .. (await GetJsonAsync(provider, $"/api/assignments/{assignmentId}")).GetProperty("timeline").EnumerateArray()
            .Select(e => e.GetProperty("description").GetString()!),
    ];

    private static JsonElement TaskOf(JsonElement assignment, string key) =>
        assignment.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("key").GetString() == key);

    private async Task<IReadOnlyList<string>> OpenLinksAsync(ClientActor client) =>
    [
        .. (await Host.GetAsJson<JsonElement>("/api/my/tasks", client)).GetProperty("open").EnumerateArray()
            .Select(t => t.GetProperty("link").GetString()!),
    ];

    /// <summary>The client answers the instrument (as Forms announces it), now.</summary>
    private Task<ITrackedSession> AnswerAsync(ProviderActor provider, Guid clientId, string instrument) =>
        Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), clientId, provider.ProviderId, instrument, Guid.NewGuid(), 4, "minimal",
            false, new Actor(ActorKind.Client, clientId, "Ana"), Clock.GetUtcNow()));

    private async Task SetPracticeZoneAsync(ProviderActor owner, string zone) =>
        await Host.Scenario(s =>
        {
            s.As(owner);
            s.Put.Json(new { displayName = "Lakeside", timeZone = zone, accentColor = "#1f5f8b" }).ToUrl("/api/console/practice/look");
            s.StatusCodeShouldBeOk();
        });

    private async Task<IReadOnlyList<IntakeAssignment>> AssignmentsOfAsync(Guid clientId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.ClientId == clientId).ToListAsync();
    }

    private DateOnly Today(TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), zone).DateTime);

    private static string Local(DateOnly day, int hour) => $"{day:yyyy-MM-dd}T{hour:00}:00";

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }

    private static DateTimeOffset EndOfDay(DateOnly day, TimeZoneInfo zone) => StartOfDay(day.AddDays(1), zone).AddSeconds(-1);
}
