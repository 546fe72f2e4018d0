using Marten;

namespace Portal.BuildingBlocks.Concurrency;

/// <summary>
/// Serializes the edits of one record: the session's transaction takes a transaction-scoped PostgreSQL advisory lock
/// on the record id, so a second editor waits until the first commits, then loads the new revision and gets its
/// 409. Use it before loading a document whose revision check is done in code (documents are not event streams,
/// which the event store already checks at commit). Works across hosts; released at commit or rollback.
/// </summary>
public static class EditLock
{
    public static async Task LockAsync(IDocumentSession session, Guid recordId, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        await session.QueryAsync<long>("select count(*) from (select pg_advisory_xact_lock(?)) as edit_lock",
            cancellation, Key(recordId));
    }

    /// <summary>
    /// The same lock on many records in one round trip (a message about hundreds of clients), taken in key order so
    /// two such transactions never wait for each other in a circle.
    /// </summary>
    public static async Task LockManyAsync(IDocumentSession session, IEnumerable<Guid> recordIds, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        var keys = recordIds.Select(Key).Distinct().Order().ToArray();
        if (keys.Length == 0) return;
        await session.QueryAsync<long>(
            "select count(*) from (select pg_advisory_xact_lock(k.key) from (select unnest(?::bigint[]) as key order by 1) as k) as edit_locks",
            cancellation, keys);
    }

    private static long Key(Guid recordId) => BitConverter.ToInt64(recordId.ToByteArray(), 0) ^ BitConverter.ToInt64(recordId.ToByteArray(), 8);
}
