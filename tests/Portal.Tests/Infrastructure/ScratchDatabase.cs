using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test cluster, for a host that must not share data or Wolverine's durable storage
/// with the shared test host (crash and two-host suites, the browser host, the demo seeding), and the SQL the tests
/// check the outcome with.
/// </summary>
internal sealed class ScratchDatabase(string connectionString)
{
    public string ConnectionString => connectionString;

    /// <summary>
    /// The database, dropped and created empty (the host creates its schema at start). Without
    /// <paramref name="pooling"/> a killed host process leaves no pooled connection behind in the test process.
    /// </summary>
    public static Task<ScratchDatabase> CreateFreshAsync(string name, bool pooling = true) => CreateAsync(name, keepExisting: false, pooling);

    /// <summary>The database as a previous run left it, created when missing: for a host whose tests reset their data.</summary>
    public static Task<ScratchDatabase> EnsureAsync(string name) => CreateAsync(name, keepExisting: true, pooling: true);

    private static async Task<ScratchDatabase> CreateAsync(string name, bool keepExisting, bool pooling)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = "postgres" };
        var target = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = name, Pooling = pooling };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (keepExisting && await exists.ExecuteScalarAsync() is not null) return new ScratchDatabase(target.ConnectionString);

        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
        await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new ScratchDatabase(target.ConnectionString);
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync();
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync()) rows.Add(read(reader));
        return rows;
    }

    /// <summary>Messages received but not yet handled, and messages waiting in the outbox: the durable work left.</summary>
    public async Task<long> PendingWolverineWorkAsync() =>
        await CountAsync("select count(*) from wolverine.wolverine_incoming_envelopes where status = 'Incoming'")
        + await CountAsync("select count(*) from wolverine.wolverine_outgoing_envelopes");

    public Task<long> DeadLettersAsync() => CountAsync("select count(*) from wolverine.wolverine_dead_letters");

    public Task<long> ScheduledAsync(string messageTypeFragment) =>
        CountAsync("select count(*) from wolverine.wolverine_incoming_envelopes where status = 'Scheduled' and message_type like @type",
            ("type", $"%{messageTypeFragment}%"));

    /// <summary>
    /// Wolverine's scheduler compares due times with the real clock, the portal's handlers with the portal's clock.
    /// When a test has moved the portal's clock forward by <paramref name="portalOffset"/>, the scheduled messages due
    /// by the portal's clock are made due for Wolverine too (their execution time becomes now). Returns how many.
    /// </summary>
    public Task<long> MakeDueByPortalClockAsync(TimeSpan portalOffset) =>
        CountAsync("""
            with moved as (
              update wolverine.wolverine_incoming_envelopes
                 set execution_time = now()
               where status = 'Scheduled' and execution_time <= now() + make_interval(secs => @seconds)
                 and execution_time > now()
              returning 1)
            select count(*) from moved
            """, ("seconds", portalOffset.TotalSeconds));
}
