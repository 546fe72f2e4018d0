using Npgsql;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Reliability;

/// <summary>
/// A database of its own for a reliability suite on the test cluster, created empty for every run (the host processes
/// create the schema at start), and the SQL the suites check the outcome with.
/// </summary>
internal sealed class ReliabilityDatabase(string connectionString)
{
    public string ConnectionString => connectionString;

    public static async Task<ReliabilityDatabase> CreateFreshAsync(string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = "postgres" };
        var target = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Database = name, Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new ReliabilityDatabase(target.ConnectionString);
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
