using System.Text;
using Marten;

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
        await session.BeginTransactionAsync(cancellation);
        await session.QueryAsync<long>("select count(*) from (select pg_advisory_xact_lock(?)) as edit_lock",
            cancellation, Key<TRecord>(recordId));
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
            "select count(*) from (select pg_advisory_xact_lock(k.key) from (select unnest(?::bigint[]) as key order by 1) as k) as edit_locks",
            cancellation, keys);
    }

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
