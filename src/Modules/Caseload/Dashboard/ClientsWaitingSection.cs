using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Portal.BuildingBlocks.Data;

namespace Portal.Caseload.Dashboard;

/// <summary>How many of the provider's clients have tasks open, and how many of them have a task past its due date.</summary>
internal sealed record ClientsWaiting(int WithOpenTasks, int WithOverdueTasks);

/// <summary>
/// On the provider's dashboard: the clients waiting on tasks, counted from the caseload with the same rules as the
/// client list (a task is open while it has no outcome; overdue once its due date has passed). Only the provider's
/// own clients are counted; support and anyone without a provider get nothing.
/// </summary>
[ViewComponent(Name = "ClientsWaiting")]
public sealed class ClientsWaitingSection(ListQueryPool lists, TimeProvider clock) : ConsoleDashboardSection
{
    public override int Order => 0;

    // One pass over the provider's rows (the provider_id index); the tasks are read inside PostgreSQL, never sent.
    private const string Statement = """
        select count(*) filter (where t.open > 0), count(*) filter (where t.overdue > 0)
        from caseload.mt_doc_caseloadclient as d
        cross join lateral (
            select count(*) filter (where x ->> 'Outcome' is null and x ->> 'RequestedAt' is not null) as open,
                   count(*) filter (where x ->> 'Outcome' is null and x ->> 'RequestedAt' is not null
                                    and (x ->> 'DueAt')::timestamptz < $2) as overdue
            from jsonb_array_elements(coalesce(d.data -> 'Tasks', '[]'::jsonb)) as x) as t
        where d.provider_id = $1
        """;

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        // Tasks are the front office's and the clinicians': a biller has no part in them.
        if (user is not { HandlesFrontOffice: true, ProviderId: { } providerId }) return Content(string.Empty);
        var cancellation = HttpContext.RequestAborted;
        await using var connection = await lists.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(Statement, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = providerId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return View(new ClientsWaiting((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
    }
}
