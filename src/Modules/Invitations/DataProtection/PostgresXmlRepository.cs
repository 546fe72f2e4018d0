using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Portal.Invitations.DataProtection;

/// <summary>
/// Keeps the Data Protection key ring in PostgreSQL (table invitations.data_protection_keys), so every host of the
/// portal reads the same keys: a cookie or a protected link made by one host is accepted by the others. The table is
/// not a Marten document table, so resetting documents (tests) never throws the keys away.
/// </summary>
internal sealed class PostgresXmlRepository(string connectionString) : IXmlRepository
{
    private const string Table = "invitations.data_protection_keys";
    private bool _ready;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"select xml from {Table} order by id", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read()) elements.Add(XElement.Parse(reader.GetString(0)));
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand(
            $"insert into {Table} (friendly_name, xml) values (@name, @xml) on conflict (friendly_name) do nothing", connection);
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        if (!_ready)
        {
            using var create = new NpgsqlCommand(
                $"create schema if not exists invitations; create table if not exists {Table} " +
                "(id bigserial primary key, friendly_name text not null unique, xml text not null)",
                connection);
            try
            {
                create.ExecuteNonQuery();
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject)
            {
                // Another host created it at the same moment.
            }
            _ready = true;
        }
        return connection;
    }
}

/// <summary>Points Data Protection's key manager at <see cref="PostgresXmlRepository"/>.</summary>
internal sealed class UsePostgresKeyRing(IConfiguration configuration) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        var connectionString = configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException("No database configured for the Data Protection key ring.");
        options.XmlRepository = new PostgresXmlRepository(connectionString);
    }
}
