using Microsoft.Extensions.Configuration;
using Npgsql;
using Portal.Host.Infrastructure;

namespace Portal.Tests.Foundation;

/// <summary>
/// The connection string the store (Marten and Wolverine) uses: the portal's defaults where the operator set nothing,
/// the operator's own values wherever they set one, in any of Npgsql's spellings.
/// </summary>
public sealed class StoreConnectionSettingsTests
{
    private const string Portal = "Host=db.example;Database=portal;Username=portal;Password=secret";

    [Fact]
    public void The_store_pool_has_32_connections_and_prepares_and_keeps_its_statements_unless_the_operator_says_otherwise()
    {
        var defaults = new NpgsqlConnectionStringBuilder(PortalDatabase.ConnectionString(Settings(Portal)));
        (defaults.MaxPoolSize, defaults.MaxAutoPrepare, defaults.NoResetOnClose, defaults.SearchPath, defaults.Host, defaults.Password)
            .ShouldBe((32, 200, true, "public", "db.example", "secret"));
    }

    [Theory]
    [InlineData("Maximum Pool Size=100")]
    [InlineData("MaxPoolSize=100")]
    public void An_operator_s_pool_size_is_kept(string setting) =>
        new NpgsqlConnectionStringBuilder(PortalDatabase.ConnectionString(Settings($"{Portal};{setting}"))).MaxPoolSize.ShouldBe(100);

    private static IConfiguration Settings(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection([new KeyValuePair<string, string?>("ConnectionStrings:Portal", connectionString)]).Build();
}
