using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Npgsql;
using Portal.BuildingBlocks.Data;

namespace Portal.Caseload.Dashboard;

/// <summary>How many of the member's clients have tasks open, and how many of them have a task past its due date.</summary>
internal sealed record ClientsWaiting(int WithOpenTasks, int WithOverdueTasks);

/// <summary>
/// On the provider's dashboard: the clients waiting on tasks, counted from the caseload with the same rules as the
/// client list (a task is open while it has no outcome; overdue once its due date has passed). Counted over the rows
/// the member sees in the client list (<see cref="ClientCard.IsVisibleTo(CurrentUser)"/>): an owner or front desk the
/// practice's, a clinician their own and their care teams'. Support, billers and anyone outside a practice get nothing.
/// </summary>
[ViewComponent(Name = "ClientsWaiting")]
public sealed class ClientsWaitingSection(ListQueryPool lists, TimeProvider clock) : ConsoleDashboardSection
{
    public override int Order => 0;

    // One pass over the rows the member sees (the practice_id index, or for a clinician the provider_id index and the
    // care-team GIN index combined); the tasks are read inside PostgreSQL, never sent.
    private const string Counts = """
        select count(*) filter (where t.open > 0), count(*) filter (where t.overdue > 0)
        from caseload.mt_doc_caseloadclient as d
        cross join lateral (
            select count(*) filter (where x ->> 'Outcome' is null and x ->> 'RequestedAt' is not null) as open,
                   count(*) filter (where x ->> 'Outcome' is null and x ->> 'RequestedAt' is not null
                                    and (x ->> 'DueAt')::timestamptz < $2) as overdue
            from jsonb_array_elements(coalesce(d.data -> 'Tasks', '[]'::jsonb)) as x) as t
        where d.practice_id = $1
        """;

    private const string Practice = Counts;

    private const string Clinician = Counts + " and (d.provider_id = $3 or d.data -> 'CareTeam' @> $4::jsonb)";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        var user = CurrentUser.From(UserClaimsPrincipal);
        // Tasks are the front office's and the clinicians': a biller has no part in them.
        if (user is not { IsSupport: false, HandlesFrontOffice: true, PracticeId: { } practiceId, ProviderId: { } memberId })
            return Content(string.Empty);
        var clinician = user.StaffRole == StaffRole.Clinician;
        var cancellation = HttpContext.RequestAborted;
        await using var connection = await lists.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(clinician ? Clinician : Practice, connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = practiceId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        if (clinician)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = memberId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(new[] { memberId }) });
        }
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        return View(new ClientsWaiting((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
    }
}
