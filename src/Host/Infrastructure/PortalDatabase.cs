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
    /// The operator's connection string, with these settings added unless they set them themselves:
    /// <list type="bullet">
    /// <item><c>No Reset On Close=true</c>: Npgsql would otherwise send <c>DISCARD ALL</c> every time a pooled
    /// connection is handed back (about seven times per task completion). Nothing the portal, Marten or Wolverine runs
    /// leaves session state on a pooled connection: the portal's advisory locks are transaction-scoped
    /// (<c>pg_advisory_xact_lock</c>), Wolverine holds its leadership lock on a dedicated connection and releases it
    /// before closing, and there are no temporary tables, <c>SET</c>s or <c>LISTEN</c>s.</item>
    /// <item><c>Search Path=public</c>: with PostgreSQL's default <c>"$user", public</c> and a database user named like
    /// a Marten schema (<c>portal</c>, as everywhere here), PostgreSQL prints Marten's <c>portal.mt_immutable_*</c>
    /// functions unqualified in index definitions, Marten sees a difference on every start and drops and rebuilds
    /// those indexes (twice, locking the tables). Every statement Marten, Wolverine and the portal send names its
    /// schema, so nothing else depends on the search path.</item>
    /// <item><c>Max Auto Prepare=200</c>: statements a connection runs repeatedly (Marten's loads and appends,
    /// Wolverine's inbox and outbox) are prepared on the server once instead of parsed and planned every time; in the
    /// benchmark this cut PostgreSQL's CPU per task completion by about a third.</item>
    /// <item><c>Maximum Pool Size=32</c> instead of Npgsql's 100: two hosts with 100 each (the compose file runs two)
    /// could ask for more connections than PostgreSQL's default <c>max_connections</c> of 100 allows. The benchmark
    /// found no pool size between 8 and 100 better for task completions, and the host's memory 5-10 MB lower with a
    /// cap (README "Benchmark").</item>
    /// </list>
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException(
                "No database configured. Set ConnectionStrings__Portal, or start the portal with ./portal run, which brings up a private PostgreSQL.");
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
