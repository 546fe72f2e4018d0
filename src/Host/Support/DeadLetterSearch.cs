using System.Text;
using Npgsql;
using NpgsqlTypes;
using Portal.BuildingBlocks.Messaging;

namespace Portal.Host.Support;

/// <summary>
/// Searches Wolverine's dead letters (the host's <c>wolverine</c> schema, as <see cref="SystemHealthReader"/> reads it)
/// for messages that mention records: the stored envelope holds the message as JSON, where an id is its lower-case
/// text, so PostgreSQL finds the few rows without the host reading every dead letter. The caller checks each one it
/// loads (a mention is not yet a match).
/// </summary>
public sealed class DeadLetterSearch(IConfiguration configuration) : IDeadLetterSearch
{
    public async Task<IReadOnlyList<Guid>> MentioningAsync(IReadOnlyCollection<string> messageTypes, IReadOnlyCollection<Guid> ids,
        int limit, CancellationToken cancellation)
    {
        if (messageTypes.Count == 0 || ids.Count == 0) return [];
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Portal"));
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            """
            select id from wolverine.wolverine_dead_letters
            where message_type = any(@types)
              and exists (select 1 from unnest(@needles) as needle where position(needle in body) > 0)
            order by sent_at desc nulls last
            limit @limit
            """, connection);
        command.Parameters.AddWithValue("types", messageTypes.ToArray());
        command.Parameters.Add(new NpgsqlParameter("needles", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        {
            Value = ids.Select(id => Encoding.UTF8.GetBytes(id.ToString("D"))).ToArray(),
        });
        command.Parameters.AddWithValue("limit", limit);
        var found = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) found.Add(reader.GetGuid(0));
        return found;
    }
}
