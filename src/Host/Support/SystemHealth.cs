using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Host.Support;

/// <summary>How a local queue stands: messages waiting, and the oldest one's age.</summary>
public sealed record QueueDepth(string Queue, int Waiting);

/// <summary>Dead letters of one message type and failure, without message bodies or exception text.</summary>
public sealed record DeadLetterGroup(string MessageType, string ExceptionType, int Count, DateTimeOffset? LastFailedAt);

public sealed record SystemHealthReport(
    DateTimeOffset At,
    IReadOnlyList<QueueDepth> Queues,
    int ScheduledTotal,
    int ScheduledDue,
    int OutboxWaiting,
    IReadOnlyList<DeadLetterGroup> DeadLetters);

/// <summary>
/// The state of the message system for support staff: durable queue depths, scheduled messages (and how many are
/// overdue, which would mean no node is running the scheduler), the outbox, and dead letters. Read straight from
/// Wolverine's tables, which the host owns.
/// </summary>
public static class SystemHealthEndpoint
{
    [Authorize(Policy = PortalPolicies.Support)]
    [WolverineGet("/api/support/health")]
    public static Task<SystemHealthReport> Get(SystemHealthReader reader, CancellationToken cancellation) => reader.ReadAsync(cancellation);
}

public sealed class SystemHealthReader(IConfiguration configuration, TimeProvider clock)
{
    public async Task<SystemHealthReport> ReadAsync(CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Portal"));
        await connection.OpenAsync(cancellation);
        var now = clock.GetUtcNow();

        var queues = new List<QueueDepth>();
        await using (var command = new NpgsqlCommand(
            "select coalesce(received_at, '(none)'), count(*) from wolverine.wolverine_incoming_envelopes " +
            "where status = 'Incoming' group by 1 order by 2 desc", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation)) queues.Add(new QueueDepth(reader.GetString(0), (int)reader.GetInt64(1)));
        }

        int scheduledTotal, scheduledDue, outbox;
        await using (var command = new NpgsqlCommand(
            """
            select (select count(*) from wolverine.wolverine_incoming_envelopes where status = 'Scheduled'),
                   (select count(*) from wolverine.wolverine_incoming_envelopes where status = 'Scheduled' and execution_time < @now - interval '1 minute'),
                   (select count(*) from wolverine.wolverine_outgoing_envelopes)
            """, connection))
        {
            command.Parameters.AddWithValue("now", now);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            await reader.ReadAsync(cancellation);
            scheduledTotal = (int)reader.GetInt64(0);
            scheduledDue = (int)reader.GetInt64(1);
            outbox = (int)reader.GetInt64(2);
        }

        var deadLetters = new List<DeadLetterGroup>();
        await using (var command = new NpgsqlCommand(
            "select message_type, coalesce(exception_type, ''), count(*), max(sent_at) from wolverine.wolverine_dead_letters " +
            "group by 1, 2 order by 3 desc", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                deadLetters.Add(new DeadLetterGroup(reader.GetString(0), reader.GetString(1), (int)reader.GetInt64(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3)));
            }
        }

        return new SystemHealthReport(now, queues, scheduledTotal, scheduledDue, outbox, deadLetters);
    }
}
