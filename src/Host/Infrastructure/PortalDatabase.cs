using System.Data.Common;
using Npgsql;

namespace Portal.Host.Infrastructure;

/// <summary>The connection string the host's Marten and Wolverine connections use, from <c>ConnectionStrings:Portal</c>.</summary>
internal static class PortalDatabase
{
    private const string NoResetOnClose = "No Reset On Close";
    private const string SearchPath = "Search Path";
    internal const int StorePoolSize = 32;

    /// <summary>
    /// The operator's connection string, with these settings added unless they set them themselves (why, with the
    /// measurements: docs/performance.md, "Database connections"):
    /// <list type="bullet">
    /// <item><c>No Reset On Close=true</c>: no <c>DISCARD ALL</c> per pooled connection; nothing here leaves session
    /// state on one (advisory locks are transaction-scoped, no temporary tables, <c>SET</c>s or <c>LISTEN</c>s).</item>
    /// <item><c>Search Path=public</c>: otherwise a user named like a Marten schema makes Marten rebuild its indexes at
    /// every start.</item>
    /// <item><c>Max Auto Prepare=200</c>: repeated statements are prepared once.</item>
    /// <item><c>Maximum Pool Size=32</c>: two hosts stay within PostgreSQL's default 100 connections.</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings__Portal, or start the portal with ./portal run, " +
                "which brings up a private PostgreSQL.");
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!Sets(given, NoResetOnClose, "NoResetOnClose")) builder.NoResetOnClose = true;
        if (!Sets(given, SearchPath, "SearchPath")) builder.SearchPath = "public";
        if (!Sets(given, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = 200;
        if (!Sets(given, "Maximum Pool Size", "MaxPoolSize")) builder.MaxPoolSize = StorePoolSize;
        return builder.ConnectionString;
    }

    /// <summary>
    /// The connection string of <see cref="Portal.BuildingBlocks.Data.ListQueryPool"/>: the portal's own (<see
    /// cref="ConnectionString"/>) with <c>Maximum Pool Size</c> from <c>Portal:Database:ListConnections</c> (4 unless
    /// set), <c>Application Name=portal-lists</c> (what <c>pg_stat_activity</c> shows) and, unless the operator set a
    /// <c>Timeout</c>, 5 seconds to wait for a connection: a provider waiting longer for a page is better told to retry.
    /// </summary>
    public static string ListQueryConnectionString(string connectionString, IConfiguration configuration)
    {
        var size = configuration.GetValue("Portal:Database:ListConnections", 4);
        if (size < 1) throw new InvalidOperationException("Portal:Database:ListConnections must be at least 1.");
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = size,
            MinPoolSize = 0,
            ApplicationName = "portal-lists",
        };
        if (!Sets(given, "Timeout")) builder.Timeout = 5;
        return builder.ConnectionString;
    }

    private static bool Sets(DbConnectionStringBuilder given, params string[] keys) => keys.Any(given.ContainsKey);
}
