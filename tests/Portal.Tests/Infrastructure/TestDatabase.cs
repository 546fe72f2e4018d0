using System.Diagnostics;
using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The tests' PostgreSQL: the configured ConnectionStrings__Portal, or else the private cluster that
/// scripts/dev-postgres.sh brings up (database portal_tests, fast settings).
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<string> Connection = new(Resolve);

    public static string ConnectionString => Connection.Value;

    /// <summary>Until PostgreSQL shows a transaction waiting for the advisory lock with this key (an EditLock key).</summary>
    public static async Task WaitUntilLockIsAwaitedAsync(long key, TimeSpan patience)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted " +
            "and classid::bigint = @high and objid::bigint = @low", connection);
        command.Parameters.AddWithValue("high", (long)(uint)(key >> 32));
        command.Parameters.AddWithValue("low", (long)(uint)key);
        var deadline = DateTime.UtcNow + patience;
        while ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no transaction waits for the lock");
            await Task.Delay(20);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test binaries.");
        }
    }

    private static string Resolve()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Portal");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "scripts", "dev-postgres.sh"), "--fast", "portal_tests"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/dev-postgres.sh failed ({process.ExitCode}): {errors}");
        return output.Trim().Split('\n').Last().Trim();
    }
}
