using System.Data.Common;
using System.Text;
using Marten;
using Marten.Linq.QueryHandlers;
using Marten.Services.BatchQuerying;
using Weasel.Postgresql;
using Weasel.Storage;

namespace Portal.BuildingBlocks.Concurrency;

/// <summary>
/// Serializes the edits of one record: the session's transaction takes a transaction-scoped PostgreSQL advisory lock
/// on the record, so a second editor waits until the first commits, then loads the new revision and gets its
/// 409. Use it before loading a document whose revision check is done in code (documents are not event streams,
/// which the event store already checks at commit). Works across hosts; released at commit or rollback.
/// The lock is on the kind of record (<typeparamref name="TRecord"/>) and its id: modules keep their own records under
/// the same client id, and one module's edit of its record must not wait for another module's edit of its own.
/// </summary>
public static class EditLock
{
    public static async Task LockAsync<TRecord>(IDocumentSession session, Guid recordId, CancellationToken cancellation)
    {
        var batch = await LockedBatchAsync<TRecord>(session, recordId, cancellation);
        await batch.Execute(cancellation);
    }

    /// <summary>The record's edit lock and the record itself in one round trip; null when there is no such record yet.</summary>
    public static async Task<TRecord?> LoadLockedAsync<TRecord>(IDocumentSession session, Guid recordId, CancellationToken cancellation)
        where TRecord : class
    {
        var batch = await LockedBatchAsync<TRecord>(session, recordId, cancellation);
        var load = batch.Load<TRecord>(recordId);
        await batch.Execute(cancellation);
        return await load;
    }

    /// <summary>
    /// <see cref="LockAsync{TRecord}"/> and the reads behind it in one round trip: begins the transaction and returns a
    /// batch whose first statement takes the lock. Add the reads, then execute it: PostgreSQL runs the batch's statements
    /// in order, each read (READ COMMITTED) after the lock is held, so it sees what the previous holder committed.
    /// </summary>
    public static async Task<IBatchedQuery> LockedBatchAsync<TRecord>(IDocumentSession session, Guid recordId, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        var batch = session.CreateBatchQuery();
        // Its result (always 1) is not needed: a failure to lock fails the whole batch's Execute.
        _ = batch.AddItem(new AdvisoryLock(Key<TRecord>(recordId)));
        return batch;
    }

    /// <summary>
    /// The same lock on many records in one round trip (a message about hundreds of clients), taken in key order so
    /// two such transactions never wait for each other in a circle.
    /// </summary>
    public static async Task LockManyAsync<TRecord>(IDocumentSession session, IEnumerable<Guid> recordIds, CancellationToken cancellation)
    {
        await session.BeginTransactionAsync(cancellation);
        var keys = recordIds.Select(Key<TRecord>).Distinct().Order().ToArray();
        if (keys.Length == 0) return;
        await session.QueryAsync<long>(
            $"select count(*) from (select {LockFunction}(k.key) from (select unnest(?::bigint[]) as key order by 1) as k) as edit_locks",
            cancellation, keys);
    }

    /// <summary>The lock as an item of a batched query: every single-record lock is taken by this statement.</summary>
    private sealed class AdvisoryLock(long key) : IQueryHandler<long>
    {
        public void ConfigureCommand(ICommandBuilder builder, IStorageSession session)
        {
            builder.Append($"select count(*) from (select {LockFunction}(");
            builder.AppendParameter(key);
            builder.Append(")) as edit_lock");
        }

        public async Task<long> HandleAsync(DbDataReader reader, IStorageSession session, CancellationToken token)
        {
            await reader.ReadAsync(token);
            return await reader.GetFieldValueAsync<long>(0, token);
        }

        public Task<int> StreamJson(Stream stream, DbDataReader reader, CancellationToken token) =>
            throw new NotSupportedException("An advisory lock has no JSON to stream.");
    }

    /// <summary>
    /// The record's edit lock queued with the session's changes, for an edit that needs no read: queue it before the
    /// write, and the commit's round trip takes the lock first.
    /// </summary>
    public static void QueueLock<TRecord>(IDocumentSession session, Guid recordId) =>
        session.QueueSqlCommand($"select {LockFunction}(?)", Key<TRecord>(recordId));

    /// <summary>What takes every lock here: held until the transaction ends, keyed by <see cref="Key{TRecord}"/>.</summary>
    private const string LockFunction = "pg_advisory_xact_lock";

    internal static long Key<TRecord>(Guid recordId)
    {
        Span<byte> id = stackalloc byte[16];
        recordId.TryWriteBytes(id);
        return BitConverter.ToInt64(id[..8]) ^ BitConverter.ToInt64(id[8..]) ^ RecordKind<TRecord>.Key;
    }

    /// <summary>
    /// FNV-1a of the record type's full name: the same on every host and every start (string.GetHashCode is not).
    /// </summary>
    private static class RecordKind<TRecord>
    {
        public static readonly long Key = Hash(typeof(TRecord).FullName ?? typeof(TRecord).Name);

        private static long Hash(string name)
        {
            var hash = 14695981039346656037UL;
            foreach (var b in Encoding.UTF8.GetBytes(name))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            return unchecked((long)hash);
        }
    }
}
