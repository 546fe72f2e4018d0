using System.Text.Json;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Intake;

/// <summary>
/// Workflows v2 (#30 item 2): tracks inside a stage that join when all or any one are done, conditions that combine
/// with AND/OR and read the client's billing, age and language, optional tasks, and the format /2 that still reads /1.
/// </summary>
public sealed class TracksAndConditionsTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static TaskCondition Attribute(string attribute, string value, ConditionOperator op = ConditionOperator.Equals) =>
        new(null, null, op, value) { Attribute = attribute };

    private static TaskSpec When(TaskSpec task, AllOrAny match, params TaskCondition[] conditions) =>
        task with { When = new ConditionGroup(match, conditions) };

    /// <summary>A client added through the Practice API with the given billing, date of birth and language.</summary>
    private async Task<Guid> AddClientAsync(ProviderActor provider, string? billing, DateOnly? born = null, string language = "en")
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.SignedIn(provider.Cookie);
            s.PostJsonTo(new
            {
                firstName = "Robin", lastName = "Client", email = $"client-{Guid.NewGuid():N}@portal.test",
                dateOfBirth = born ?? new DateOnly(1990, 4, 17), language, billing,
            }, "/api/console/clients");
            s.StatusCodeShouldBe(201);
        });
        return (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("clientId").GetGuid();
    }

    private async Task<Guid> PublishedAsync(ProviderActor provider, WorkflowContent content)
    {
        var id = await CreateWorkflowAsync(provider, content);
        await PublishAsync(provider, id);
        return id;
    }

    private Task<Wolverine.Tracking.ITrackedSession> InsuranceAddedAsync(ProviderActor provider, Guid client) =>
        Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            ClientActor(client).Actor, Clock.GetUtcNow()));

    private Task<Wolverine.Tracking.ITrackedSession> AutopayEnrolledAsync(ProviderActor provider, Guid client) =>
        Kit.PublishAsync(new AutopayChanged(Guid.NewGuid(), client, provider.ProviderId, AutopayChange.Enrolled,
            ClientActor(client).Actor, Clock.GetUtcNow(), null));

    private Task<Wolverine.Tracking.ITrackedSession> AssessedAsync(ProviderActor provider, Guid client, string instrument, int score) =>
        Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, instrument, Guid.NewGuid(), score,
            score >= 10 ? "moderate" : "mild", false, ClientActor(client).Actor, Clock.GetUtcNow()));

    private static string[] Requested(Wolverine.Tracking.ITrackedSession tracked) =>
        [.. tracked.Published<TaskRequested>().Select(t => t.Title)];

    [Fact]
    public async Task A_version_1_export_still_imports_and_exports_again_as_version_2()
    {
        var provider = await Kit.NewProviderAsync();
        const string v1 = """
            {
              "name": "Screening (old export)",
              "format": "portal.intake-workflow/1",
              "stages": [
                { "name": "Screen", "tasks": [ { "key": "phq9", "kind": "CompleteAssessment", "subjectId": "phq9" } ] },
                { "name": "Follow up", "tasks": [
                  { "key": "gad7", "kind": "CompleteAssessment", "subjectId": "gad7", "dueInDays": 7,
                    "condition": { "taskKey": "phq9", "field": null, "operator": "AtLeast", "value": "10" } } ] }
              ]
            }
            """;
        var imported = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Post.Text(v1).ContentType("application/json").ToUrl("/api/workflows/import");
            s.StatusCodeShouldBe(201);
        });
        var workflowId = (await IntakeTestKit.ReadJsonAsync(imported)).GetProperty("id").GetGuid();

        var exported = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/workflows/{workflowId}/export");
            s.StatusCodeShouldBeOk();
        });
        var json = JsonDocument.Parse(await exported.ReadAsTextAsync()).RootElement;
        json.GetProperty("format").GetString().ShouldBe("portal.intake-workflow/2");
        var gad7 = json.GetProperty("stages")[1].GetProperty("tasks")[0];
        gad7.GetProperty("condition").GetProperty("taskKey").GetString().ShouldBe("phq9");
        gad7.GetProperty("dueInDays").GetInt32().ShouldBe(7);
        gad7.GetProperty("required").GetBoolean().ShouldBeTrue();

        // The old single condition still decides: a PHQ-9 of 12 asks for the GAD-7.
        await PublishAsync(provider, workflowId);
        var client = await Kit.NewClientAsync(provider);
        await AssignAsync(provider, workflowId, client);
        Requested(await AssessedAsync(provider, client, "phq9", 12)).ShouldBe(["Complete the GAD-7 anxiety questionnaire"]);
    }

    [Fact]
    public async Task Tracks_open_their_tasks_one_after_another_and_the_next_stage_waits_for_all_tracks()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Onboarding",
        [
            new StageSpec("Paperwork", [])
            {
                Tracks =
                [
                    new TrackSpec("Payment", [Task("insurance", TaskKind.AddInsurance), Task("autopay", TaskKind.EnrollInAutopay)]),
                    new TrackSpec("Screening", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
                ],
            },
            new StageSpec("Follow up", [Task("gad7", TaskKind.CompleteAssessment, "gad7")]),
        ]));

        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        Requested(assigned).ShouldBe(["Add your insurance", "Complete the PHQ-9 depression questionnaire"]);

        Requested(await InsuranceAddedAsync(provider, client)).ShouldBe(["Enroll in autopay"]);
        Requested(await AssessedAsync(provider, client, "phq9", 4)).ShouldBeEmpty();
        Requested(await AutopayEnrolledAsync(provider, client)).ShouldBe(["Complete the GAD-7 anxiety questionnaire"]);

        var events = await Kit.EventsAsync(ids[0]);
        events.OfType<AssignmentStageStarted>().Select(e => e.Stage).ShouldBe([0, 1]);
        events.OfType<AssignmentTaskNotNeeded>().ShouldBeEmpty();
    }

    [Fact]
    public async Task With_join_any_the_first_track_done_closes_the_others_as_not_needed_without_asking_the_client_again()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Payment",
        [
            new StageSpec("Pay", [])
            {
                Join = AllOrAny.Any,
                Tracks =
                [
                    new TrackSpec("Insurance", [Task("insurance", TaskKind.AddInsurance)]),
                    new TrackSpec("Self-pay", [Task("autopay", TaskKind.EnrollInAutopay), Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
                ],
            },
            new StageSpec("Screen", [Task("gad7", TaskKind.CompleteAssessment, "gad7")]),
        ]));
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        Requested(assigned).ShouldBe(["Add your insurance", "Enroll in autopay"]);
        var autopayTask = (await Kit.EventsAsync(ids[0])).OfType<AssignmentTaskRequested>().Single(t => t.Key == "autopay").TaskId;

        var tracked = await InsuranceAddedAsync(provider, client);

        Requested(tracked).ShouldBe(["Complete the GAD-7 anxiety questionnaire"]);
        var closed = tracked.Published<TaskClosed>().ToList();
        closed.Single(c => c.TaskId == autopayTask).Outcome.ShouldBe(TaskOutcome.NotNeeded);
        tracked.Published<TaskReminderDue>().ShouldBeEmpty();
        var notNeeded = (await Kit.EventsAsync(ids[0])).OfType<AssignmentTaskNotNeeded>().ToList();
        notNeeded.Select(n => n.Key).ShouldBe(["autopay", "phq9"]);
        notNeeded.ShouldAllBe(n => n.Reason == AssignmentProcess.AnotherTrackFinished);
        notNeeded.Single(n => n.Key == "phq9").TaskId.ShouldBeNull();

        var view = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/api/assignments/{ids[0]}");
            s.StatusCodeShouldBeOk();
        });
        var tasks = (await IntakeTestKit.ReadJsonAsync(view)).GetProperty("assignment").GetProperty("tasks").EnumerateArray().ToList();
        tasks.Single(t => t.GetProperty("key").GetString() == "autopay").GetProperty("status").GetString().ShouldBe("NotNeeded");
    }

    [Fact]
    public async Task A_condition_on_billing_set_through_the_practice_reads_insurance_or_self_pay()
    {
        var provider = await Kit.NewProviderAsync();
        var insured = await AddClientAsync(provider, "insurance");
        var selfPay = await AddClientAsync(provider, "selfPay");
        var unknown = await AddClientAsync(provider, null);
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Payment",
        [
            new StageSpec("Pay",
            [
                When(Task("insurance", TaskKind.AddInsurance), AllOrAny.All, Attribute("billing", "insurance")),
                When(Task("autopay", TaskKind.EnrollInAutopay), AllOrAny.All, Attribute("billing", "insurance", ConditionOperator.NotEquals)),
                Task("phq9", TaskKind.CompleteAssessment, "phq9"),
            ]),
        ]));

        var (tracked, ids) = await AssignAsync(provider, workflowId, insured, selfPay, unknown);

        var byClient = tracked.Published<TaskRequested>().ToLookup(t => t.ClientId, t => t.Kind);
        byClient[insured].ShouldBe([TaskKind.AddInsurance, TaskKind.CompleteAssessment]);
        byClient[selfPay].ShouldBe([TaskKind.EnrollInAutopay, TaskKind.CompleteAssessment]);
        // Billing not known yet matches neither "bills insurance" nor "does not bill insurance".
        byClient[unknown].ShouldBe([TaskKind.CompleteAssessment]);
        (await Kit.EventsAsync(ids[1])).OfType<AssignmentTaskSkipped>().ShouldHaveSingleItem()
            .Reason.ShouldBe("Condition not met: client bills insurance.");
    }

    [Fact]
    public async Task Conditions_on_minor_and_language_read_the_client_on_the_day_the_task_opens()
    {
        var provider = await Kit.NewProviderAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime);
        var minor = await AddClientAsync(provider, "selfPay", today.AddYears(-18).AddDays(1), language: "es");
        var adult = await AddClientAsync(provider, "selfPay", today.AddYears(-18), language: "en");
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Minor with guardian",
        [
            new StageSpec("Start",
            [
                When(Task("insurance", TaskKind.AddInsurance), AllOrAny.All, Attribute("minor", "true")),
                When(Task("autopay", TaskKind.EnrollInAutopay), AllOrAny.All, Attribute("language", "es")),
                When(Task("phq9", TaskKind.CompleteAssessment, "phq9"), AllOrAny.All, Attribute("minor", "false")),
            ]),
        ]));

        var (tracked, ids) = await AssignAsync(provider, workflowId, minor, adult);

        var byClient = tracked.Published<TaskRequested>().ToLookup(t => t.ClientId, t => t.Kind);
        // One day short of 18 is a minor; the 18th birthday is the first day as an adult.
        byClient[minor].ShouldBe([TaskKind.AddInsurance, TaskKind.EnrollInAutopay]);
        byClient[adult].ShouldBe([TaskKind.CompleteAssessment]);
        (await Kit.EventsAsync(ids[1])).OfType<AssignmentTaskSkipped>().Select(s => s.Reason).ShouldBe(
            ["Condition not met: client is a minor.", "Condition not met: client's language is Spanish."]);
    }

    [Fact]
    public async Task A_score_and_an_or_of_client_attributes_combine_and_the_skip_reason_says_it_in_words()
    {
        var provider = await Kit.NewProviderAsync();
        var insured = await AddClientAsync(provider, "insurance");
        var selfPay = await AddClientAsync(provider, "selfPay");
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Screening",
        [
            new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Follow up",
            [
                Task("gad7", TaskKind.CompleteAssessment, "gad7") with
                {
                    When = new ConditionGroup(AllOrAny.All, [new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10")])
                    {
                        Groups = [new ConditionGroup(AllOrAny.Any, [Attribute("billing", "insurance"), Attribute("minor", "true")])],
                    },
                },
                Task("autopay", TaskKind.EnrollInAutopay),
            ]),
        ]));
        var (_, ids) = await AssignAsync(provider, workflowId, insured, selfPay);

        Requested(await AssessedAsync(provider, insured, "phq9", 12))
            .ShouldBe(["Complete the GAD-7 anxiety questionnaire", "Enroll in autopay"]);
        Requested(await AssessedAsync(provider, selfPay, "phq9", 12)).ShouldBe(["Enroll in autopay"]);
        (await Kit.EventsAsync(ids[1])).OfType<AssignmentTaskSkipped>().ShouldHaveSingleItem().Reason.ShouldBe(
            "Condition not met: the PHQ-9 score is at least 10 and (client bills insurance or client is a minor).");
    }

    [Fact]
    public async Task A_track_task_may_read_an_earlier_task_of_its_own_track()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await AddClientAsync(provider, "insurance");
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Screening",
        [
            new StageSpec("Screen", [Task("insurance", TaskKind.AddInsurance)])
            {
                Tracks =
                [
                    new TrackSpec("Mood", [
                        Task("phq9", TaskKind.CompleteAssessment, "phq9"),
                        When(Task("gad7", TaskKind.CompleteAssessment, "gad7"), AllOrAny.Any,
                            new TaskCondition("phq9", null, ConditionOperator.AtLeast, "10"),
                            new TaskCondition("phq9", "severity", ConditionOperator.Equals, "severe")),
                    ]),
                ],
            },
        ]));
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        Requested(assigned).ShouldBe(["Add your insurance", "Complete the PHQ-9 depression questionnaire"]);

        Requested(await AssessedAsync(provider, client, "phq9", 15)).ShouldBe(["Complete the GAD-7 anxiety questionnaire"]);
        (await Kit.EventsAsync(ids[0])).OfType<AssignmentTaskCompleted>().ShouldHaveSingleItem().Score.ShouldBe(15);
    }

    [Fact]
    public async Task An_optional_task_does_not_hold_up_the_workflow_and_is_closed_as_not_needed_when_it_completes()
    {
        var provider = await Kit.NewProviderAsync();
        var client = await Kit.NewClientAsync(provider);
        var workflowId = await PublishedAsync(provider, new WorkflowContent("Start",
        [
            new StageSpec("Pay", [Task("insurance", TaskKind.AddInsurance), Task("autopay", TaskKind.EnrollInAutopay) with { Required = false }]),
        ]));
        var (assigned, ids) = await AssignAsync(provider, workflowId, client);
        Requested(assigned).ShouldBe(["Add your insurance", "Enroll in autopay"]);
        var autopayTask = (await Kit.EventsAsync(ids[0])).OfType<AssignmentTaskRequested>().Single(t => t.Key == "autopay").TaskId;

        var tracked = await InsuranceAddedAsync(provider, client);

        tracked.Published<AssignmentCompleted>().ShouldHaveSingleItem();
        tracked.Published<TaskClosed>().Single(c => c.TaskId == autopayTask).Outcome.ShouldBe(TaskOutcome.NotNeeded);
        var events = await Kit.EventsAsync(ids[0]);
        events.OfType<AssignmentTaskNotNeeded>().ShouldHaveSingleItem().Reason.ShouldBe(AssignmentProcess.OptionalLeftOpen);
        Names(events).TakeLast(2).ShouldBe([nameof(AssignmentTaskNotNeeded), nameof(AssignmentFinished)]);
    }

    [Fact]
    public async Task A_condition_that_reads_a_task_not_done_before_it_or_an_unknown_attribute_value_is_refused_naming_the_field()
    {
        var provider = await Kit.NewProviderAsync();
        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new WorkflowContent("Broken",
            [
                new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
                new StageSpec("Follow up", [Task("insurance", TaskKind.AddInsurance)])
                {
                    Tracks =
                    [
                        new TrackSpec("Mood",
                        [
                            // Reads the task after it in its own track: not done when it opens.
                            When(Task("gad7", TaskKind.CompleteAssessment, "gad7"), AllOrAny.All,
                                new TaskCondition("later", null, ConditionOperator.AtLeast, "10")),
                            Task("later", TaskKind.CompleteAssessment, "phq9"),
                            When(Task("autopay", TaskKind.EnrollInAutopay), AllOrAny.Any,
                                Attribute("billing", "insurance"), Attribute("billing", "medicaid")),
                        ]),
                        // Reads a task of another track of the same stage: they run side by side.
                        new TrackSpec("Other", [When(Task("other", TaskKind.CompleteAssessment, "gad7"), AllOrAny.All,
                            new TaskCondition("gad7", null, ConditionOperator.AtLeast, "10"))]),
                        new TrackSpec("Twice", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
                    ],
                },
            ]), "/api/workflows");
            s.StatusCodeShouldBe(400);
        });
        var errors = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("errors");

        errors.GetProperty("stages[1].tracks[0].tasks[0].when.conditions[0].taskKey")[0].GetString()!.ShouldContain("earlier in the same track");
        errors.GetProperty("stages[1].tracks[0].tasks[2].when.conditions[1].value")[0].GetString()
            .ShouldBe("The client's billing is one of: insurance, selfPay.");
        errors.TryGetProperty("stages[1].tracks[0].tasks[2].when.conditions[0].value", out _).ShouldBeFalse();
        errors.TryGetProperty("stages[1].tracks[1].tasks[0].when.conditions[0].taskKey", out _).ShouldBeTrue();
        errors.GetProperty("stages[1].tracks[2].tasks[0].key")[0].GetString()!.ShouldContain("used twice");
        await using var session = OpenSession();
        (await session.Query<WorkflowDefinition>().CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task The_preview_takes_the_client_attributes_and_shows_tracks_and_conditions_in_words()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Payment",
        [
            new StageSpec("Screen", [Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Pay", [])
            {
                Join = AllOrAny.Any,
                Tracks =
                [
                    new TrackSpec("Insurance", [When(Task("insurance", TaskKind.AddInsurance), AllOrAny.All, Attribute("billing", "insurance"))]),
                    new TrackSpec("Self-pay", [When(Task("autopay", TaskKind.EnrollInAutopay), AllOrAny.All,
                        Attribute("billing", "selfPay"), new TaskCondition("phq9", null, ConditionOperator.AtMost, "20"))]),
                ],
            },
        ]));

        async Task<JsonElement> PreviewAsync(object body, int status = 200)
        {
            var result = await Host.Scenario(s =>
            {
                s.SignedIn(Kit.ProviderCookie(provider));
                s.PostJsonTo(body, $"/api/workflows/{workflowId}/preview");
                s.StatusCodeShouldBe(status);
            });
            return await IntakeTestKit.ReadJsonAsync(result);
        }

        static Dictionary<string, string> States(JsonElement preview) => preview.GetProperty("stages")[1].GetProperty("tasks")
            .EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("state").GetString()!);

        var selfPay = await PreviewAsync(new
        {
            attributes = new Dictionary<string, string> { ["billing"] = "selfpay" },
            answers = new Dictionary<string, string> { ["phq9.score"] = "12" },
        });
        States(selfPay).ShouldBe(new Dictionary<string, string> { ["insurance"] = "Skipped", ["autopay"] = "Asked" });
        var pay = selfPay.GetProperty("stages")[1];
        pay.GetProperty("join").GetString().ShouldBe("Any");
        var autopay = pay.GetProperty("tasks")[1];
        autopay.GetProperty("track").GetString().ShouldBe("Self-pay");
        autopay.GetProperty("condition").GetString().ShouldBe("Only when client is self-pay and the PHQ-9 score is at most 20");
        var billing = selfPay.GetProperty("attributes").EnumerateArray().ShouldHaveSingleItem();
        billing.GetProperty("name").GetString().ShouldBe("billing");
        billing.GetProperty("value").GetString().ShouldBe("selfPay");
        billing.GetProperty("choices").EnumerateArray().Select(c => c.GetString()).ShouldBe(["insurance", "selfPay"]);

        States(await PreviewAsync(new { attributes = new Dictionary<string, string> { ["billing"] = "insurance" } }))
            .ShouldBe(new Dictionary<string, string> { ["insurance"] = "Asked", ["autopay"] = "Skipped" });

        var refused = await PreviewAsync(new { attributes = new Dictionary<string, string> { ["billing"] = "medicaid", ["shoeSize"] = "9" } }, 400);
        refused.GetProperty("errors").GetProperty("attributes.billing")[0].GetString().ShouldBe("The client's billing is one of: insurance, selfPay.");
        refused.GetProperty("errors").TryGetProperty("attributes.shoeSize", out _).ShouldBeTrue();
    }
}
