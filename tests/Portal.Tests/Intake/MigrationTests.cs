using System.Globalization;
using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;
using Wolverine.Tracking;

namespace Portal.Tests.Intake;

/// <summary>Moving running assignments to a newer version of their workflow (#30 item 5), through the HTTP API.</summary>
public sealed class MigrationTests(PortalFixture fixture) : IntakeWorkflowTest(fixture)
{
    private static readonly TaskCondition PhqAtLeastTen = new("phq9", null, ConditionOperator.AtLeast, "10");

    [Fact]
    public async Task A_dry_run_lists_per_client_what_stays_done_stays_open_opens_is_dropped_and_is_skipped_and_changes_nothing()
    {
        var (provider, workflowId, client, assignmentId) = await RunningOnVersionOneAsync();
        var before = await Kit.EventsAsync(assignmentId);

        var json = await MigrateAsync(provider, workflowId, new { toVersion = 2, dryRun = true });

        json.GetProperty("dryRun").GetBoolean().ShouldBeTrue();
        json.GetProperty("moved").GetInt32().ShouldBe(1);
        var report = json.GetProperty("assignments").EnumerateArray().ShouldHaveSingleItem();
        report.GetProperty("assignmentId").GetGuid().ShouldBe(assignmentId);
        report.GetProperty("clientId").GetGuid().ShouldBe(client);
        report.GetProperty("clientName").GetString().ShouldNotBeNullOrEmpty();
        report.GetProperty("outcome").GetString().ShouldBe("moves");
        report.GetProperty("fromVersion").GetInt32().ShouldBe(1);
        Keys(report, "staysDone").ShouldBe(["insurance", "phq9"], ignoreOrder: true);
        Keys(report, "staysOpen").ShouldBe(["autopay"]);
        Keys(report, "opens").ShouldBe(["consent"]);
        Keys(report, "dropped").ShouldBe(["policy"]);
        Keys(report, "skipped").ShouldBe(["gad7"]);
        report.GetProperty("skipped")[0].GetProperty("reason").GetString().ShouldNotBeNull().ShouldContain("Condition not met");
        report.GetProperty("completes").GetBoolean().ShouldBeFalse();
        report.GetProperty("version").GetInt64().ShouldBe(before.Count);

        (await Kit.EventsAsync(assignmentId)).Count.ShouldBe(before.Count, "a dry run writes nothing");
    }

    [Fact]
    public async Task The_move_keeps_done_work_keeps_open_tasks_opens_new_ones_drops_removed_ones_in_one_event_with_the_actor()
    {
        var (provider, workflowId, client, assignmentId) = await RunningOnVersionOneAsync();
        var before = await StateAsync(assignmentId);
        var beforeEvents = (await Kit.EventsAsync(assignmentId)).Count;

        var (tracked, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { toVersion = 2 }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBeOk();
        });
        var json = await IntakeTestKit.ReadJsonAsync(result);
        json.GetProperty("moved").GetInt32().ShouldBe(1);
        json.GetProperty("assignments")[0].GetProperty("outcome").GetString().ShouldBe("moved");

        var added = (await Kit.EventsAsync(assignmentId)).Skip(beforeEvents).ToList();
        var migrated = added[0].ShouldBeOfType<AssignmentMigrated>();
        added.OfType<AssignmentMigrated>().Count().ShouldBe(1, "the move is one event in the stream");
        migrated.FromVersion.ShouldBe(1);
        migrated.ToVersion.ShouldBe(2);
        migrated.MigratedBy.Kind.ShouldBe(ActorKind.Provider);
        migrated.MigratedBy.DisplayName.ShouldBe(provider.Name);
        migrated.Stages.Select(s => s.Name).ShouldBe(["Paperwork", "Then"]);
        Names(added.Skip(1)).ShouldBe([nameof(AssignmentTaskRequested), nameof(AssignmentTaskSkipped)]);

        var after = await StateAsync(assignmentId);
        after.DefinitionVersion.ShouldBe(2);
        after.Status.ShouldBe(AssignmentStatus.Running);
        // Done work is kept as it was: same task ids, same completion times, nothing asked again.
        foreach (var done in before.Tasks.Where(t => t.Status == AssignmentTaskStatus.Completed))
        {
            var kept = after.Tasks.Where(t => t.Key == done.Key).ShouldHaveSingleItem();
            kept.TaskId.ShouldBe(done.TaskId);
            kept.Status.ShouldBe(AssignmentTaskStatus.Completed);
            kept.DoneAt.ShouldBe(done.DoneAt);
        }

        var autopay = after.Tasks.Where(t => t.Key == "autopay").ShouldHaveSingleItem();
        autopay.TaskId.ShouldBe(before.Tasks.Single(t => t.Key == "autopay").TaskId, "a kept open task is the same task");
        autopay.Status.ShouldBe(AssignmentTaskStatus.Open);
        var policy = after.Tasks.Where(t => t.Key == "policy").ShouldHaveSingleItem();
        policy.Status.ShouldBe(AssignmentTaskStatus.Skipped);
        policy.SkipReason.ShouldBe("Removed by the new version.");
        after.Tasks.Where(t => t.Key == "consent").ShouldHaveSingleItem().Status.ShouldBe(AssignmentTaskStatus.Open);
        after.Tasks.Where(t => t.Key == "gad7").ShouldHaveSingleItem().Status.ShouldBe(AssignmentTaskStatus.Skipped);

        // Only the new task is announced to the client; the removed one is closed without an email.
        tracked.Published<TasksRequested>().SelectMany(b => b.Tasks).Select(t => t.Title).ShouldBe(["Sign: Consent"]);
        var closed = tracked.Published<TaskClosed>().ShouldHaveSingleItem();
        closed.TaskId.ShouldBe(policy.TaskId!.Value);
        closed.Outcome.ShouldBe(TaskOutcome.Cancelled);

        // The kept task still completes the assignment's work when the client does it.
        var finished = await Kit.PublishAsync(new AutopayChanged(Guid.NewGuid(), client, provider.ProviderId, AutopayChange.Enrolled,
            ClientActor(client).Actor, Clock.GetUtcNow(), null));
        finished.Published<TaskClosed>().ShouldHaveSingleItem().TaskId.ShouldBe(autopay.TaskId!.Value);

        await using var session = OpenSession();
        var audit = await session.Query<AuditEntry>().Where(a => a.Action == "intake.workflow.migrate").ToListAsync();
        var entry = audit.ShouldHaveSingleItem();
        entry.RecordId.ShouldBe(workflowId.ToString());
        entry.ActorId.ShouldBe(migrated.MigratedBy.UserId);
        entry.ActorRole.ShouldBe("provider");
        entry.Outcome.ShouldBe("1 moved, 0 refused; from version 1 to 2");

        // The assignment page says who moved it, in words.
        var page = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Get.Url($"/console/assignments/{assignmentId}");
            s.StatusCodeShouldBeOk();
        });
        (await page.ReadAsTextAsync()).ShouldContain($"Moved from version 1 to 2 by {provider.Name}");
    }

    [Fact]
    public async Task An_assignment_changed_since_the_dry_run_is_refused_and_reported_while_the_others_move()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await VersionOneAsync(provider);
        var ana = await Kit.NewClientAsync(provider, "Ana");
        var ben = await Kit.NewClientAsync(provider, "Ben");
        var (_, ids) = await AssignAsync(provider, workflowId, ana, ben);
        await VersionTwoAsync(provider, workflowId);

        var dryRun = await MigrateAsync(provider, workflowId, new { toVersion = 2, dryRun = true });
        var versions = dryRun.GetProperty("assignments").EnumerateArray()
            .ToDictionary(a => a.GetProperty("assignmentId").GetGuid(), a => a.GetProperty("version").GetInt64());
        versions.Count.ShouldBe(2);

        // Ana adds her insurance meanwhile: her assignment moves on.
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), ana, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            ClientActor(ana).Actor, Clock.GetUtcNow()));

        var json = await MigrateAsync(provider, workflowId, new { toVersion = 2, expectedVersions = versions });
        json.GetProperty("moved").GetInt32().ShouldBe(1);
        json.GetProperty("refused").GetInt32().ShouldBe(1);
        var reports = json.GetProperty("assignments").EnumerateArray().ToDictionary(a => a.GetProperty("clientId").GetGuid());
        reports[ana].GetProperty("outcome").GetString().ShouldBe("refused");
        reports[ana].GetProperty("code").GetString().ShouldBe("changed");
        reports[ben].GetProperty("outcome").GetString().ShouldBe("moved");

        var anaId = reports[ana].GetProperty("assignmentId").GetGuid();
        var benId = reports[ben].GetProperty("assignmentId").GetGuid();
        ids.ShouldBe([anaId, benId], ignoreOrder: true);
        (await Kit.EventsAsync(anaId)).OfType<AssignmentMigrated>().ShouldBeEmpty();
        (await StateAsync(anaId)).DefinitionVersion.ShouldBe(1);
        (await Kit.EventsAsync(benId)).OfType<AssignmentMigrated>().ShouldHaveSingleItem();
    }

    /// <summary>
    /// Another writer appends to an assignment of the chunk between its read and the commit, on the first try and again on
    /// the second (to another one): each changed assignment is refused "changed", nothing of them is written, the third
    /// moves. Used to be a 500 after the second conflict.
    /// </summary>
    [Fact]
    public async Task Assignments_changed_while_their_chunk_commits_twice_are_each_refused_and_the_rest_moves()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await VersionOneAsync(provider);
        var ana = await Kit.NewClientAsync(provider, "Ana");
        var ben = await Kit.NewClientAsync(provider, "Ben");
        var cy = await Kit.NewClientAsync(provider, "Cy");
        await AssignAsync(provider, workflowId, ana, ben, cy);
        await VersionTwoAsync(provider, workflowId);
        var idOf = (await AssignmentIdsAsync(workflowId)).ToDictionary(a => a.ClientId, a => a.Id);
        var before = new Dictionary<Guid, int>();
        foreach (var id in idOf.Values) before[id] = (await Kit.EventsAsync(id)).Count;

        var store = (DocumentStore)Host.Services.GetRequiredService<IDocumentStore>();
        var interfere = new AppendsWhileMoving(store, [idOf[ana], idOf[ben]]);
        store.Options.Listeners.Add(interfere);
        JsonElement json;
        try
        {
            json = await MigrateAsync(provider, workflowId, new { toVersion = 2 });
        }
        finally
        {
            store.Options.Listeners.Remove(interfere);
        }

        interfere.Appended.ShouldBe([idOf[ana], idOf[ben]], "the test conflicted the first try on Ana's, the second on Ben's");
        (json.GetProperty("moved").GetInt32(), json.GetProperty("refused").GetInt32()).ShouldBe((1, 2));
        var reports = json.GetProperty("assignments").EnumerateArray().ToDictionary(a => a.GetProperty("clientId").GetGuid());
        foreach (var changed in new[] { ana, ben })
        {
            (reports[changed].GetProperty("outcome").GetString(), reports[changed].GetProperty("code").GetString()).ShouldBe(("refused", "changed"));
            var events = await Kit.EventsAsync(idOf[changed]);
            events.OfType<AssignmentMigrated>().ShouldBeEmpty("nothing of a refused assignment is written");
            events.Count.ShouldBe(before[idOf[changed]] + 1, "only the other writer's event");
            (await StateAsync(idOf[changed])).DefinitionVersion.ShouldBe(1);
        }

        reports[cy].GetProperty("outcome").GetString().ShouldBe("moved");
        (await Kit.EventsAsync(idOf[cy])).OfType<AssignmentMigrated>().ShouldHaveSingleItem();
        (await StateAsync(idOf[cy])).DefinitionVersion.ShouldBe(2);
    }

    /// <summary>
    /// Before a session that moves assignments commits, appends a harmless event (a reminder of no task) to the first of
    /// <paramref name="targets"/> it is moving, through another session: that commit then fails on the stream's version.
    /// </summary>
    private sealed class AppendsWhileMoving(IDocumentStore store, IReadOnlyList<Guid> targets) : DocumentSessionListenerBase
    {
        public List<Guid> Appended { get; } = [];

        public override async Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
        {
            var moving = session.PendingChanges.Streams()
                .Where(s => s.Events.Any(e => e.Data is AssignmentMigrated)).Select(s => s.Id).ToHashSet();
            var target = targets.FirstOrDefault(moving.Contains);
            if (target == Guid.Empty) return;
            await using var other = store.LightweightSession();
            other.Events.Append(target, new AssignmentReminderSent(target, Guid.NewGuid(), 1, true, "elsewhere", DateTimeOffset.UtcNow));
            await other.SaveChangesAsync(token);
            Appended.Add(target);
        }
    }

    private async Task<IReadOnlyList<IntakeAssignment>> AssignmentIdsAsync(Guid workflowId)
    {
        await using var session = OpenSession();
        return await session.Query<IntakeAssignment>().Where(a => a.DefinitionId == workflowId).ToListAsync();
    }

    [Fact]
    public async Task More_than_a_thousand_assignments_in_one_request_is_a_400_naming_the_field()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await VersionOneAsync(provider);
        var ids = Enumerable.Range(0, 1_001).Select(_ => Guid.NewGuid()).ToArray();

        var result = await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(new { toVersion = 2, assignmentIds = ids, dryRun = true }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBe(400);
        });
        var problem = await IntakeTestKit.ReadJsonAsync(result);
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldContain(n => n.Equals("assignmentIds", StringComparison.OrdinalIgnoreCase));
        result.Context.Response.ContentType.ShouldNotBeNull().ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task Another_practices_workflow_or_assignment_is_a_404_and_nothing_moves()
    {
        var (provider, workflowId, _, assignmentId) = await RunningOnVersionOneAsync();
        var stranger = await Kit.NewProviderAsync();
        var strangersWorkflow = await VersionOneAsync(stranger);
        await VersionTwoAsync(stranger, strangersWorkflow);

        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(stranger));
            s.PostJsonTo(new { toVersion = 2 }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(stranger));
            s.PostJsonTo(new { toVersion = 2, assignmentIds = new[] { assignmentId } }, $"/api/workflows/{strangersWorkflow}/migrations");
            s.StatusCodeShouldBe(404);
        });
        var frontDesk = await Host.NewMemberAsync(provider, StaffRole.FrontDesk);
        await Host.Scenario(s =>
        {
            s.As(frontDesk);
            s.PostJsonTo(new { toVersion = 2 }, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBe(403);
        });

        (await Kit.EventsAsync(assignmentId)).OfType<AssignmentMigrated>().ShouldBeEmpty();
    }

    /// <summary>
    /// Version 1: insurance; then a policy, the PHQ-9 and autopay; then a GAD-7 when the PHQ-9 is at least 10. The client
    /// added insurance and answered the PHQ-9 (score 4): the policy and autopay are open.
    /// </summary>
    private async Task<(ProviderActor Provider, Guid WorkflowId, Guid Client, Guid AssignmentId)> RunningOnVersionOneAsync()
    {
        var provider = await Kit.NewProviderAsync();
        var workflowId = await VersionOneAsync(provider);
        var client = await Kit.NewClientAsync(provider);
        var (_, ids) = await AssignAsync(provider, workflowId, client);
        var actor = ClientActor(client).Actor;
        await Kit.PublishAsync(new InsuranceChanged(Guid.NewGuid(), client, provider.ProviderId, InsuranceChange.Added, PlanRank.Primary,
            actor, Clock.GetUtcNow()));
        await Kit.PublishAsync(new AssessmentCompleted(Guid.NewGuid(), client, provider.ProviderId, "phq9", Guid.NewGuid(), 4, "minimal",
            false, actor, Clock.GetUtcNow()));
        await VersionTwoAsync(provider, workflowId);
        return (provider, workflowId, client, ids.ShouldHaveSingleItem());
    }

    private async Task<Guid> VersionOneAsync(ProviderActor provider)
    {
        var policy = await Kit.PublishedDocumentAsync(provider, "Policy");
        var workflowId = await CreateWorkflowAsync(provider, new WorkflowContent("Intake",
        [
            new StageSpec("First", [Task("insurance", TaskKind.AddInsurance)]),
            new StageSpec("Second",
            [
                Task("policy", TaskKind.SignDocument, policy.ToString()), Task("phq9", TaskKind.CompleteAssessment, "phq9"),
                Task("autopay", TaskKind.EnrollInAutopay),
            ]),
            new StageSpec("Third", [Task("gad7", TaskKind.CompleteAssessment, "gad7", PhqAtLeastTen)]),
        ]));
        await PublishAsync(provider, workflowId);
        return workflowId;
    }

    /// <summary>
    /// Version 2, published: the policy is gone; insurance and the PHQ-9 come first; then autopay, a new consent, and the
    /// GAD-7 (still only when the PHQ-9 is at least 10).
    /// </summary>
    private async Task VersionTwoAsync(ProviderActor provider, Guid workflowId)
    {
        var consent = await Kit.PublishedDocumentAsync(provider, "Consent");
        var content = new WorkflowContent("Intake",
        [
            new StageSpec("Paperwork", [Task("insurance", TaskKind.AddInsurance), Task("phq9", TaskKind.CompleteAssessment, "phq9")]),
            new StageSpec("Then",
            [
                Task("autopay", TaskKind.EnrollInAutopay), Task("consent", TaskKind.SignDocument, consent.ToString()),
                Task("gad7", TaskKind.CompleteAssessment, "gad7", PhqAtLeastTen),
            ]),
        ]);
        var revision = await RevisionAsync(provider, workflowId);
        await Host.Scenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.Put.Json(content).ToUrl($"/api/workflows/{workflowId}/draft")
                .QueryString("expectedRevision", revision.ToString(CultureInfo.InvariantCulture));
            s.StatusCodeShouldBeOk();
        });
        await PublishAsync(provider, workflowId);
    }

    private async Task<JsonElement> MigrateAsync(ProviderActor provider, Guid workflowId, object body)
    {
        var (_, result) = await TrackedScenario(s =>
        {
            s.SignedIn(Kit.ProviderCookie(provider));
            s.PostJsonTo(body, $"/api/workflows/{workflowId}/migrations");
            s.StatusCodeShouldBeOk();
        });
        return await IntakeTestKit.ReadJsonAsync(result);
    }

    private async Task<IntakeAssignment> StateAsync(Guid assignmentId)
    {
        await using var session = OpenSession();
        return (await session.LoadAsync<IntakeAssignment>(assignmentId)).ShouldNotBeNull();
    }

    private static IReadOnlyList<string> Keys(JsonElement report, string list) =>
        [.. report.GetProperty(list).EnumerateArray().Select(t => t.GetProperty("key").GetString()!)];
}
