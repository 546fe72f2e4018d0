using Marten;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Concurrency;
using Portal.Caseload.Roster;
using Portal.Intake.Engine;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Host;

/// <summary>
/// The edit lock serializes edits of one record. Several modules keep a record under the same client id (the caseload
/// row, Intake's activity, the invitations): one module's edit must not wait for another module's edit of its own record.
/// </summary>
public sealed class EditLockTests(PortalFixture fixture) : PortalTest(fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_edit_waits_for_the_same_record_but_not_for_another_module_s_record_of_the_same_client()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var clientId = Guid.NewGuid();
        var first = store.LightweightSession();
        await EditLock.LockAsync<CaseloadClient>(first, clientId, CancellationToken.None);

        await using (var intake = store.LightweightSession())
            await EditLock.LockAsync<ClientActivity>(intake, clientId, CancellationToken.None).WaitAsync(Patience);

        await using var second = store.LightweightSession();
        var sameRecord = EditLock.LockAsync<CaseloadClient>(second, clientId, CancellationToken.None);
        await TestDatabase.WaitUntilLockIsAwaitedAsync(EditLock.Key<CaseloadClient>(clientId), Patience);
        sameRecord.IsCompleted.ShouldBeFalse();

        await first.DisposeAsync();
        await sameRecord.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_locked_batch_reads_only_after_the_edit_holding_the_lock_has_committed()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        var clientId = Guid.NewGuid();
        await using var first = store.LightweightSession();
        await EditLock.LockAsync<CaseloadClient>(first, clientId, CancellationToken.None);
        first.Store(new CaseloadClient { Id = clientId, FullName = "Ana Client" });

        // The lock and the read travel in one round trip: the read must still wait for the lock.
        await using var second = store.LightweightSession();
        var read = Task.Run(async () =>
        {
            var batch = await EditLock.LockedBatchAsync<CaseloadClient>(second, clientId, CancellationToken.None);
            var row = batch.Load<CaseloadClient>(clientId);
            await batch.Execute(CancellationToken.None);
            return await row;
        });
        await TestDatabase.WaitUntilLockIsAwaitedAsync(EditLock.Key<CaseloadClient>(clientId), Patience);
        read.IsCompleted.ShouldBeFalse();

        await first.SaveChangesAsync();
        var seen = await read.WaitAsync(Patience);
        seen.ShouldNotBeNull().FullName.ShouldBe("Ana Client");
    }
}
