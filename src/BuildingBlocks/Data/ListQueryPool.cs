using Npgsql;

namespace Portal.BuildingBlocks.Data;

/// <summary>
/// The connections that read-only list queries run on (the provider's client list and its page): a pool of their own,
/// a few connections wide (the host's <c>Portal:Database:ListConnections</c>, 4 unless set), beside the store's pool
/// that every write and message handler shares.
/// <para>
/// A few connections keep a burst of lists from putting a backend per request on the database's cores, and lists and
/// writes never wait for each other's connections (docs/adr/0003-list-query-pool.md).
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
