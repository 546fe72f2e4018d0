using Npgsql;

namespace Portal.BuildingBlocks.Data;

/// <summary>
/// The connections that read-only list queries run on (the provider's client list and its page): a pool of their own,
/// a few connections wide (the host's <c>Portal:Database:ListConnections</c>, 4 unless set), beside the store's pool
/// that every write and message handler shares.
/// <para>
/// A list query costs PostgreSQL a fraction of a millisecond. Given a connection per request in flight, eight
/// providers paging at once kept eight backends runnable beside the host on two cores, and each query's rows waited
/// for a core: with 10,000 clients the benchmark's p99 (wrk, 8 connections, flat out) was 32.5 ms for the first page
/// and 70.3 ms for a search. Queued for four connections instead: 7.6-12.6 ms and 10.6-15.1 ms, with more requests
/// answered per second. A list never waits behind a burst of writes for a connection, and a burst of lists never
/// takes the writes' connections.
/// </para>
/// When every list connection stays busy for the pool's timeout, opening one throws; the host answers 503 with
/// Retry-After.
/// </summary>
public sealed class ListQueryPool(NpgsqlDataSource dataSource) : IAsyncDisposable, IDisposable
{
    /// <summary>How many connections the pool opens at most.</summary>
    internal int Size { get; } = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxPoolSize;

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellation) => dataSource.OpenConnectionAsync(cancellation);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    public void Dispose() => dataSource.Dispose();
}
