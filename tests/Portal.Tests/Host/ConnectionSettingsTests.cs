using Microsoft.Extensions.Configuration;
using Npgsql;
using Portal.Host.Infrastructure;

namespace Portal.Tests.Host;

/// <summary>
/// The connection strings of the store (Marten and Wolverine) and of the client list's own pool: the portal's defaults
/// where the operator set nothing, the operator's own values wherever they set one (<c>Portal:Database:ListConnections</c>,
/// the connection string's <c>Timeout</c> and <c>Maximum Pool Size</c>); a list pool size that cannot work stops the
/// host at start, not at the first list.
/// </summary>
public sealed class ConnectionSettingsTests
{
    private const string Portal = "Host=db.example;Database=portal;Username=portal;Password=secret";

    [Fact]
    public void The_store_pool_has_32_connections_and_prepares_and_keeps_its_statements_unless_the_operator_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(PortalDatabase.ConnectionString(Settings(("ConnectionStrings:Portal", Portal))));
        (defaults.MaxPoolSize, defaults.MaxAutoPrepare, defaults.NoResetOnClose, defaults.SearchPath, defaults.Host, defaults.Password)
            .ShouldBe((32, 200, true, "public", "db.example", "secret"));
    }

    [Theory]
    [InlineData("Maximum Pool Size=100")]
    [InlineData("MaxPoolSize=100")]
    public void An_operator_s_pool_size_is_kept(string setting) =>
        new NpgsqlConnectionStringBuilder(PortalDatabase.ConnectionString(Settings(("ConnectionStrings:Portal", $"{Portal};{setting}"))))
            .MaxPoolSize.ShouldBe(100);

    [Fact]
    public void The_list_pool_has_4_connections_named_portal_lists_and_waits_5_seconds_unless_the_operator_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(PortalDatabase.ListQueryConnectionString(Portal, Settings()));
        (defaults.MaxPoolSize, defaults.ApplicationName, defaults.Timeout, defaults.Host, defaults.Password)
            .ShouldBe((4, "portal-lists", 5, "db.example", "secret"));

        var chosen = new NpgsqlConnectionStringBuilder(PortalDatabase.ListQueryConnectionString(
            Portal + ";Timeout=9;Maximum Pool Size=50", Settings(("Portal:Database:ListConnections", "6"))));
        (chosen.MaxPoolSize, chosen.Timeout).ShouldBe((6, 9));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("four")]
    public void A_list_pool_size_that_cannot_work_is_refused(string size) =>
        Should.Throw<InvalidOperationException>(() =>
            PortalDatabase.ListQueryConnectionString(Portal, Settings(("Portal:Database:ListConnections", size))));

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
