using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.BuildingBlocks.Concurrency;
using Portal.Caseload.Roster;
using Portal.Contracts;
using Portal.Tests.Infrastructure;
using Wolverine;
using Wolverine.Tracking;

namespace Portal.Tests.Caseload;

/// <summary>
/// "Last Updated" of the caseload row, kept from the client actions other modules publish: the later action wins in any
/// order, and an action handled while another edit holds the row keeps that edit too.
/// </summary>
public sealed class CaseloadLastUpdatedTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Guid PracticeId = Guid.NewGuid();
    private readonly Guid _providerId = Guid.NewGuid();
    private readonly Actor _client = new(ActorKind.Client, Guid.NewGuid(), "Jane Doe");

    [Fact]
    public async Task An_action_before_the_roster_is_kept_the_later_action_wins_in_any_order_and_a_provider_s_change_is_not_the_client_s()
    {
        var clientId = Guid.NewGuid();
        var t0 = Clock.GetUtcNow();
        // Every module knows the client, but the caseload row is not there yet (as when the roster's message is still
        // waiting in Caseload's queue).
        await GivenRoster(clientId);
        await using (var session = OpenSession())
        {
            session.Delete<CaseloadClient>(clientId);
            await session.SaveChangesAsync();
        }

        await Publish(new AssessmentCompleted(Guid.NewGuid(), clientId, _providerId, "PHQ9", Guid.NewGuid(), 4, "Minimal", false,
            _client, t0.AddMinutes(2)));
        var first = await Row(clientId);
        (first.LastActivity, first.SortName).ShouldBe(("Completed the PHQ-9", ""));

        await Publish(Roster(clientId));
        var named = await Row(clientId);
        (named.SortName, named.ProviderId, named.LastActivity, named.LastActivityAt)
            .ShouldBe(("doe jane", _providerId, "Completed the PHQ-9", t0.AddMinutes(2)));

        // Older, arriving late: nothing changes. A provider's own change is not what the client did.
        await Publish(new InsuranceChanged(Guid.NewGuid(), clientId, _providerId, InsuranceChange.Added, PlanRank.Primary,
            _client, t0.AddMinutes(1)));
        await Publish(new AutopayChanged(Guid.NewGuid(), clientId, _providerId, AutopayChange.Enrolled,
            new Actor(ActorKind.Provider, _providerId, "Dr. Ana Silva"), t0.AddMinutes(9), null));
        (await Row(clientId)).LastActivity.ShouldBe("Completed the PHQ-9");

        var later = new InsuranceChanged(Guid.NewGuid(), clientId, _providerId, InsuranceChange.Updated, PlanRank.Secondary,
            _client, t0.AddMinutes(3));
        await Publish(later);
        await Publish(later); // handled again
        var row = await Row(clientId);
        (row.LastActivity, row.LastActivityAt, row.SortName).ShouldBe(("Updated secondary insurance", t0.AddMinutes(3), "doe jane"));
        // The column the list sorts "Last Updated" by (PostgreSQL keeps microseconds).
        var expected = t0.AddMinutes(3);
        (await LastActivityColumn(clientId)).ShouldBe(expected.AddTicks(-(expected.Ticks % TimeSpan.TicksPerMicrosecond)));
    }

    [Fact]
    public async Task An_action_handled_while_another_edit_holds_the_row_keeps_that_edit_and_the_action()
    {
        var clientId = Guid.NewGuid();
        var taskId = Guid.NewGuid();
        await GivenRoster(clientId);
        await Publish(new TasksRequested(Guid.NewGuid(), [new TaskRequested(taskId, Guid.NewGuid(), clientId, _providerId, TaskKind.AddInsurance,
            "Add insurance", null, Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(5))]));

        // An edit that has read the row and not yet committed (as the task's close does).
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using var holder = store.LightweightSession();
        var held = (await EditLock.LoadLockedAsync<CaseloadClient>(holder, clientId, CancellationToken.None)).ShouldNotBeNull();
        held.Closed(new TaskClosed(taskId, Guid.NewGuid(), clientId, _providerId, TaskOutcome.Completed, Clock.GetUtcNow()));
        holder.Store(held);

        var action = Publish(new InsuranceChanged(Guid.NewGuid(), clientId, _providerId, InsuranceChange.Added, PlanRank.Primary,
            _client, Clock.GetUtcNow()));
        await TestDatabase.WaitUntilLockIsAwaitedAsync(EditLock.Key<CaseloadClient>(clientId), Patience);
        action.IsCompleted.ShouldBeFalse();

        await holder.SaveChangesAsync();
        await action.WaitAsync(TimeSpan.FromSeconds(60));

        var row = await Row(clientId);
        row.LastActivity.ShouldBe("Added primary insurance");
        row.Tasks.ShouldHaveSingleItem().Outcome.ShouldBe(TaskOutcome.Completed);
    }

    private async Task GivenRoster(Guid clientId)
    {
        await Publish(new ProviderRosterChanged(_providerId, PracticeId, "Lakeside Counseling", "Dr. Ana Silva", "ana@lakeside.example", true, 1));
        await Publish(Roster(clientId));
    }

    private ClientRosterChanged Roster(Guid clientId) =>
        new(clientId, _providerId, PracticeId, "Lakeside Counseling", "Jane", "Doe", "jane.doe@example.com", new DateOnly(1990, 4, 2), true, true, 1);

    private async Task<CaseloadClient> Row(Guid clientId)
    {
        await using var session = OpenSession();
        return (await session.LoadAsync<CaseloadClient>(clientId)).ShouldNotBeNull();
    }

    private static async Task<DateTimeOffset?> LastActivityColumn(Guid clientId)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select last_activity_at from caseload.mt_doc_caseloadclient where id = @id", connection);
        command.Parameters.AddWithValue("id", clientId);
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }
}
