using System.Globalization;
using Alba;
using Marten;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Triggers;

namespace Portal.Tests.Intake;

/// <summary>
/// The builder's v2 edits: a stage's tracks changed as pure functions (add, reorder within a track, remove, join), and
/// the in-place task edit (PUT .../tasks/{key}) reaching a task inside a track with the v2 settings, a bad one refused
/// with 400 naming its field.
/// </summary>
public sealed class BuilderTracksTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static WorkflowContent TwoTracks() => new("Before the first session",
    [
        new StageSpec("Paperwork", [Task("autopay", TaskKind.EnrollInAutopay)])
        {
            Tracks =
            [
                new TrackSpec("Screening", [Task("phq9", TaskKind.CompleteAssessment, "phq9"), Task("gad7", TaskKind.CompleteAssessment, "gad7")]),
                new TrackSpec("Coverage", [Task("insurance", TaskKind.AddInsurance)]),
            ],
        },
    ]);

    [Fact]
    public void A_track_is_added_with_its_first_task_and_its_tasks_move_only_within_it()
    {
        var content = WorkflowBuilder.AddTrack(TwoTracks(), 0, "  Consent ", Task("document", TaskKind.EnrollInAutopay));
        content.Stages[0].Tracks!.Select(t => t.Name).ShouldBe(["Screening", "Coverage", "Consent"]);
        content.Stages[0].Tracks![2].Tasks.Select(t => t.Key).ShouldBe(["document"]);

        content = WorkflowBuilder.AddTrackTask(content, 0, 1, Task("autopay-2", TaskKind.EnrollInAutopay));
        content.Stages[0].Tracks![1].Tasks.Select(t => t.Key).ShouldBe(["insurance", "autopay-2"]);

        var moved = WorkflowBuilder.MoveTrackTask(content, 0, 0, 1, -1);
        moved.Stages[0].Tracks![0].Tasks.Select(t => t.Key).ShouldBe(["gad7", "phq9"]);
        // Past either end of the track, or a track that is not there, nothing moves.
        Keys(WorkflowBuilder.MoveTrackTask(content, 0, 0, 1, 1)).ShouldBe(Keys(content));
        Keys(WorkflowBuilder.MoveTrackTask(content, 0, 7, 0, 1)).ShouldBe(Keys(content));
        moved.Stages[0].Tasks.Select(t => t.Key).ShouldBe(["autopay"]);
    }

    private static string[] Keys(WorkflowContent content) => [.. content.Places().Select(p => $"{p.Track}:{p.Task.Key}")];

    [Fact]
    public void Removing_a_tracks_last_task_removes_the_track_and_the_last_track_leaves_a_plain_stage()
    {
        var content = WorkflowBuilder.RemoveTrackTask(TwoTracks(), 0, 0, 0);
        content.Stages[0].Tracks![0].Tasks.Select(t => t.Key).ShouldBe(["gad7"]);

        content = WorkflowBuilder.RemoveTrackTask(content, 0, 1, 0);
        content.Stages[0].Tracks!.Select(t => t.Name).ShouldBe(["Screening"]);

        content = WorkflowBuilder.SetJoin(content, 0, AllOrAny.Any);
        content.Stages[0].Join.ShouldBe(AllOrAny.Any);
        content = WorkflowBuilder.RemoveTrack(content, 0, 0);
        content.Stages[0].Tracks.ShouldBeNull();
        content.Stages[0].Join.ShouldBe(AllOrAny.All);
        content.Stages[0].Tasks.Select(t => t.Key).ShouldBe(["autopay"]);
    }

    [Fact]
    public void Triggers_are_kept_once_each_and_none_leaves_the_workflow_to_be_assigned_by_hand()
    {
        var content = WorkflowBuilder.SetTriggers(TwoTracks(),
            [WorkflowTrigger.BillingBecameInsurance, WorkflowTrigger.ClientAdded, WorkflowTrigger.ClientAdded]);
        content.Triggers.ShouldBe([WorkflowTrigger.ClientAdded, WorkflowTrigger.BillingBecameInsurance]);
        WorkflowBuilder.SetTriggers(content, []).Triggers.ShouldBeNull();
    }

    [Fact]
    public void A_tasks_dates_and_repeat_read_in_words()
    {
        var dates = Portal.Intake.Dates.PracticeWorkflowDates.Of(new() { Dates = [new("intakeCall", "Intake call")] });
        var autopay = Task("autopay", TaskKind.EnrollInAutopay) with
        {
            Opens = new DateAnchor("firstSession", -7), Due = new DateAnchor("firstSession", -2),
        };
        TaskWords.Opens(autopay, dates).ShouldBe("7 days before the first session");
        TaskWords.Due(autopay, dates).ShouldBe("2 days before the first session");
        TaskWords.Opens(autopay with { Opens = new DateAnchor("intakeCall", 1) }, dates).ShouldBe("1 day after the intake call");
        TaskWords.Due(autopay with { Due = new DateAnchor("intakeCall", 0) }, dates).ShouldBe("on the day of the intake call");
        TaskWords.Due(Task("x", TaskKind.AddInsurance, dueInDays: 5), dates).ShouldBe("5 days after the stage opens");
        TaskWords.Opens(Task("x", TaskKind.AddInsurance), dates).ShouldBe("when the stage opens");

        var phq9 = Task("phq9", TaskKind.CompleteAssessment, "phq9");
        TaskWords.Repeat(phq9).ShouldBeNull();
        TaskWords.Repeat(phq9 with { Repeat = new RepeatSpec(2, null, true) }).ShouldBe("every 2 weeks until discharge");
        TaskWords.Repeat(phq9 with { Repeat = new RepeatSpec(1, 6) }).ShouldBe("every week, 6 times");
        TaskWords.Repeat(phq9 with { Repeat = new RepeatSpec(4, 6, true) }).ShouldBe("every 4 weeks, 6 times or until discharge");
    }

    private async Task<IScenarioResult> EditTaskAsync(ProviderActor provider, Guid workflowId, string key, object body, int status)
    {
        var revision = await RevisionAsync(provider, workflowId);
        return await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(body).ToUrl($"/api/workflows/{workflowId}/versions/1/tasks/{key}")
                .QueryString("expectedRevision", revision.ToString(CultureInfo.InvariantCulture));
            s.StatusCodeShouldBe(status);
        });
    }

    [Fact]
    public async Task A_task_inside_a_track_is_edited_in_place_with_its_conditions_dates_repeat_and_optional()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, TwoTracks());

        await EditTaskAsync(provider, workflowId, "gad7", new
        {
            title = "Anxiety check",
            when = new
            {
                match = "Any",
                conditions = new object[]
                {
                    new { taskKey = "phq9", field = "score", @operator = "AtLeast", value = "10" },
                    new { attribute = "billing", @operator = "Equals", value = "insurance" },
                },
            },
            opens = new { date = "firstSession", offsetDays = -7 },
            due = new { date = "firstSession", offsetDays = -2 },
            repeat = new { everyWeeks = 2, untilDischarge = true },
            required = false,
        }, 200);

        await using var session = OpenSession();
        var content = (await session.LoadAsync<WorkflowDefinition>(workflowId))!.Latest.Content;
        var gad7 = content.Stages[0].Tracks![0].Tasks[1];
        gad7.Key.ShouldBe("gad7");
        gad7.Title.ShouldBe("Anxiety check");
        gad7.When!.Match.ShouldBe(AllOrAny.Any);
        gad7.When.Conditions.Select(c => c.Attribute ?? c.TaskKey).ShouldBe(["phq9", "billing"]);
        gad7.Opens.ShouldBe(new DateAnchor("firstSession", -7));
        gad7.Due.ShouldBe(new DateAnchor("firstSession", -2));
        gad7.Repeat.ShouldBe(new RepeatSpec(2, null, true));
        gad7.Required.ShouldBeFalse();
        // Every other task stays as it was, in its place.
        content.Stages[0].Tracks![0].Tasks[0].ShouldBe(TwoTracks().Stages[0].Tracks![0].Tasks[0]);
        content.Stages[0].Tracks![1].Tasks.Select(t => t.Key).ShouldBe(["insurance"]);
    }

    [Theory]
    [InlineData("repeat.everyWeeks")]
    [InlineData("when.conditions[0].value")]
    [InlineData("when.conditions[0].taskKey")]
    [InlineData("due")]
    public async Task A_bad_setting_of_a_track_task_answers_400_naming_the_field_and_changes_nothing(string field)
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await CreateWorkflowAsync(provider, TwoTracks());
        await using (var before = OpenSession())
        {
            object body = field switch
            {
                "repeat.everyWeeks" => new { repeat = new { everyWeeks = 0, times = 3 } },
                "when.conditions[0].value" => new
                {
                    when = new { match = "All", conditions = new[] { new { attribute = "billing", @operator = "Equals", value = "cash" } } },
                },
                // The insurance task is in the other track: it is not done before gad7 opens.
                "when.conditions[0].taskKey" => new
                {
                    when = new { match = "All", conditions = new[] { new { taskKey = "insurance", @operator = "Equals", value = "yes" } } },
                },
                _ => new { opens = new { date = "firstSession", offsetDays = -2 }, due = new { date = "firstSession", offsetDays = -7 } },
            };
            var original = (await before.LoadAsync<WorkflowDefinition>(workflowId))!.Latest.Content;

            var result = await EditTaskAsync(provider, workflowId, "gad7", body, 400);

            var errors = (await IntakeTestKit.ReadJsonAsync(result)).GetProperty("errors");
            errors.TryGetProperty(field, out _).ShouldBeTrue($"no error for {field} in {errors}");
            await using var after = OpenSession();
            (await after.LoadAsync<WorkflowDefinition>(workflowId))!.Latest.Content.ShouldBeEquivalentTo(original);
        }
    }
}
