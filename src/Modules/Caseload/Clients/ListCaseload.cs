using System.Globalization;
using System.Security.Claims;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Caseload.Clients;

/// <summary>One client in the provider's list: who, their portal status, their tasks, and what they last did.</summary>
public sealed record CaseloadRow(
    Guid ClientId,
    string FirstName,
    string LastName,
    string Email,
    string Status,
    string StatusText,
    DateTimeOffset? InvitationExpiresAt,
    DateTimeOffset? LockedUntil,
    int OpenTasks,
    int OverdueTasks,
    DateTimeOffset? NextDueAt,
    int CompletedTasks,
    int CompletedAssignments,
    DateTimeOffset? LastUpdatedAt,
    string? LastUpdated);

/// <summary>A page of the list; <see cref="HasMore"/> says whether a next page exists.</summary>
public sealed record CaseloadPage(IReadOnlyList<CaseloadRow> Clients, int Page, int PageSize, string? Search, string Sort, bool HasMore);

/// <summary>The portal status of a client as their provider sees it.</summary>
internal enum CaseloadStatus
{
    NotEligible,
    Eligible,
    Invited,
    InvitationExpired,
    Active,
    Locked,
}

/// <summary>What the list was asked for, checked: <c>page</c> ≥ 1, <c>pageSize</c> 1..200, <c>search</c> ≤ 100 characters, <c>sort</c> name|updated.</summary>
internal sealed record CaseloadQuery(int Page, int PageSize, string? Search, string Sort)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 10_000;
    public const int MaxSearch = 100;

    public static (CaseloadQuery? Query, Dictionary<string, string[]> Errors) Parse(int? page, int? pageSize, string? search, string? sort)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage) errors["page"] = [$"page must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        var term = search?.Trim();
        if (term is { Length: > MaxSearch }) errors["search"] = [$"search must be at most {MaxSearch} characters."];
        var order = string.IsNullOrWhiteSpace(sort) ? "name" : sort.Trim().ToLowerInvariant();
        if (order is not ("name" or "updated")) errors["sort"] = ["sort must be 'name' or 'updated'."];
        return errors.Count > 0
            ? (null, errors)
            : (new CaseloadQuery(page ?? 1, pageSize ?? DefaultPageSize, term is { Length: > 0 } ? term : null, order), errors);
    }
}

/// <summary>
/// The caseload list: <c>GET /api/console/caseload?page=1&amp;pageSize=50&amp;search=gar&amp;sort=name|updated</c>.
/// A provider gets their own clients, support every client, by name (last, first) or by Last Updated (newest
/// first). <c>search</c> matches, case-insensitively, the start of the last name, the first name, the full name
/// ("avery gar") or the email. Out-of-range paging or an unknown sort answers 400 with the fields named.
/// The page <c>/console/clients</c> reads the same slice.
/// </summary>
public static class ListCaseloadEndpoint
{
    [WolverineGet("/api/console/caseload")]
    [Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IQuerySession session, TimeProvider clock,
        int? page, int? pageSize, string? search, string? sort, CancellationToken cancellation)
    {
        var (query, errors) = CaseloadQuery.Parse(page, pageSize, search, sort);
        if (query is null) return Results.ValidationProblem(errors);
        return Results.Ok(await CaseloadList.ReadAsync(CurrentUser.From(principal)!, session, query, clock.GetUtcNow(), cancellation));
    }
}

internal static class CaseloadList
{
    /// <summary>
    /// The page's rows, then only what a row shows: the client's fields picked out of the document once
    /// (<c>jsonb_to_record</c>), the open and the completed tasks counted by PostgreSQL, and the open tasks' due dates as
    /// stored, space-separated, for the host to compare with its clock (overdue, next due): the tasks never leave the
    /// database whole and no document is deserialized. Open = requested and not closed; completed = closed as
    /// <see cref="Contracts.TaskOutcome.Completed"/> (Marten stores enums as numbers). Parsing the dates in SQL instead
    /// (<c>::timestamptz</c>) doubled the query's execution time.
    /// </summary>
    private const string Select = """
        select p.id, c."FirstName", c."LastName", c."Email", c."Eligible", c."HasActiveAccount", c."AccountActive",
               c."InvitationExpiresAt", c."LockedUntil", c."LastActivityAt", c."LastActivity",
               coalesce(jsonb_array_length(c."CompletedAssignments"), 0), t.open, t.open_due, t.completed
        from (select d.id, d.data, d.sort_name, d.last_activity_at from caseload.mt_doc_caseloadclient as d
        """;

    private const string Columns = """
        ) as p
        cross join lateral jsonb_to_record(p.data) as c("FirstName" text, "LastName" text, "Email" text, "Eligible" boolean,
            "HasActiveAccount" boolean, "AccountActive" boolean, "InvitationExpiresAt" text, "LockedUntil" text,
            "LastActivityAt" text, "LastActivity" text, "Tasks" jsonb, "CompletedAssignments" jsonb)
        cross join lateral (
            select count(*) filter (where o.open)::int as open,
                   string_agg(o.due, ' ') filter (where o.open) as open_due,
                   count(*) filter (where o.outcome = '0')::int as completed
            from (select e->>'Outcome' as outcome, e->>'Outcome' is null and e->>'RequestedAt' is not null as open, e->>'DueAt' as due
                  from jsonb_array_elements(c."Tasks") as e) as o) as t
        """;

    /// <summary>
    /// The query's eight shapes (a provider's clients or, for support, everyone's; a search or not; by name or by Last
    /// Updated), each built once: every request sends one of these texts with its parameters.
    /// </summary>
    private static readonly string[] Queries =
        [.. Enumerable.Range(0, 8).Select(shape => Build(support: (shape & 1) != 0, search: (shape & 2) != 0, updated: (shape & 4) != 0))];

    private static readonly string[] StatusNames = Enum.GetNames<CaseloadStatus>();

    /// <summary>
    /// One query, served by the indexes declared in <see cref="CaseloadModule"/>: the provider's rows in name order
    /// (provider_id, sort_name, id), or by Last Updated (provider_id, last_activity_at), or a prefix search on the
    /// C-collated (provider_id, sort_name | full_name | email_key) indexes. One row more than the page tells whether
    /// another page follows. The page is chosen first (the inner select), and only its rows are taken apart.
    /// </summary>
    public static async Task<CaseloadPage> ReadAsync(CurrentUser user, IQuerySession session, CaseloadQuery query, DateTimeOffset now, CancellationToken cancellation)
    {
        if (!user.IsSupport && !(user.IsProvider && user.ProviderId is not null))
            return new CaseloadPage([], query.Page, query.PageSize, query.Search, query.Sort, false);

        var shape = (user.IsSupport ? 1 : 0) | (query.Search is null ? 0 : 2) | (query.Sort == "updated" ? 4 : 0);
        await using var command = new NpgsqlCommand(Queries[shape]);
        command.Parameters.Add(new NpgsqlParameter { Value = user.IsSupport ? Guid.Empty : user.ProviderId!.Value });
        if (query.Search is { } search)
        {
            var from = search.ToLowerInvariant();
            command.Parameters.Add(new NpgsqlParameter { Value = from });
            command.Parameters.Add(new NpgsqlParameter { Value = from + char.ConvertFromUtf32(0x10FFFF) });
        }
        command.Parameters.Add(new NpgsqlParameter { Value = query.PageSize + 1 });
        command.Parameters.Add(new NpgsqlParameter { Value = (query.Page - 1) * query.PageSize });

        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        command.Connection = connection;
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var rows = new List<CaseloadRow>(query.PageSize);
        var chars = new char[128];
        while (await reader.ReadAsync(cancellation))
        {
            if (rows.Count == query.PageSize)
                return new CaseloadPage(rows, query.Page, query.PageSize, query.Search, query.Sort, HasMore: true);
            rows.Add(ToRow(reader, now, ref chars));
        }
        return new CaseloadPage(rows, query.Page, query.PageSize, query.Search, query.Sort, HasMore: false);
    }

    private static string Build(bool support, bool search, bool updated)
    {
        var sql = new StringBuilder(Select);
        sql.Append(support ? " where d.provider_id <> $1" : " where d.provider_id = $1");
        if (search)
        {
            // "starts with" as a range on the C-collated prefix indexes: with the bounds as parameters the prepared
            // statement keeps one plan, where a LIKE pattern parameter made PostgreSQL plan every search anew.
            sql.Append(" and (d.sort_name collate \"C\" >= $2 and d.sort_name collate \"C\" < $3")
                .Append(" or d.full_name collate \"C\" >= $2 and d.full_name collate \"C\" < $3")
                .Append(" or d.email_key collate \"C\" >= $2 and d.email_key collate \"C\" < $3)");
        }
        var (limit, offset) = search ? ("$4", "$5") : ("$2", "$3");
        return sql.Append(" order by ").Append(Order(updated, "d")).Append(" limit ").Append(limit).Append(" offset ").Append(offset)
            .Append(Columns)
            .Append(" order by ").Append(Order(updated, "p"))
            .ToString();
    }

    private static string Order(bool updated, string table) => updated
        ? $"{table}.last_activity_at desc nulls last, {table}.sort_name, {table}.id"
        : $"{table}.sort_name, {table}.id";

    /// <param name="chars">Where the dates are read without making strings of them (grown when a value does not fit).</param>
    private static CaseloadRow ToRow(NpgsqlDataReader row, DateTimeOffset now, ref char[] chars)
    {
        // The account module's word (AccountActive) once it has spoken, else the roster's.
        var active = row.IsDBNull(6) ? !row.IsDBNull(5) && row.GetBoolean(5) : row.GetBoolean(6);
        var eligible = !row.IsDBNull(4) && row.GetBoolean(4);
        var invitationExpiresAt = Time(row, 7, ref chars);
        // A lock shows only while it runs: it ends by itself at LockedUntil.
        var lockedUntil = active && Time(row, 8, ref chars) is { } until && until > now ? until : (DateTimeOffset?)null;
        var status = lockedUntil is not null ? CaseloadStatus.Locked
            : active ? CaseloadStatus.Active
            : !eligible ? CaseloadStatus.NotEligible
            : invitationExpiresAt is not { } expires ? CaseloadStatus.Eligible
            : expires > now ? CaseloadStatus.Invited
            : CaseloadStatus.InvitationExpired;
        var overdue = 0;
        DateTimeOffset? nextDue = null;
        if (!row.IsDBNull(13))
        {
            var openDue = Chars(row, 13, ref chars);
            foreach (var part in openDue.Split(' '))
            {
                var due = DateTimeOffset.Parse(openDue[part], CultureInfo.InvariantCulture);
                if (due < now) overdue++;
                if (nextDue is null || due < nextDue) nextDue = due;
            }
        }
        return new CaseloadRow(row.GetGuid(0), Text(row, 1) ?? string.Empty, Text(row, 2) ?? string.Empty, Text(row, 3) ?? string.Empty,
            StatusNames[(int)status], Describe(status, lockedUntil),
            status is CaseloadStatus.Invited or CaseloadStatus.InvitationExpired ? invitationExpiresAt : null,
            lockedUntil,
            OpenTasks: row.GetInt32(12),
            OverdueTasks: overdue,
            NextDueAt: nextDue,
            CompletedTasks: row.GetInt32(14),
            CompletedAssignments: row.GetInt32(11),
            LastUpdatedAt: Time(row, 9, ref chars),
            LastUpdated: Text(row, 10));
    }

    private static string? Text(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    /// <summary>A date as the document stores it (ISO 8601 with its offset, to the tick).</summary>
    private static DateTimeOffset? Time(NpgsqlDataReader row, int column, ref char[] chars) =>
        row.IsDBNull(column) ? null : DateTimeOffset.Parse(Chars(row, column, ref chars), CultureInfo.InvariantCulture);

    /// <summary>A text column's characters, copied into <paramref name="chars"/> (grown when they do not fit).</summary>
    private static ReadOnlySpan<char> Chars(NpgsqlDataReader row, int column, ref char[] chars)
    {
        int read;
        while ((read = (int)row.GetChars(column, 0, chars, 0, chars.Length)) == chars.Length)
            chars = new char[chars.Length * 2];
        return chars.AsSpan(0, read);
    }

    public static string Describe(CaseloadStatus status, DateTimeOffset? lockedUntil) => status switch
    {
        CaseloadStatus.Locked => $"Locked until {lockedUntil!.Value.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC",
        CaseloadStatus.NotEligible => "Not eligible",
        CaseloadStatus.Eligible => "Eligible, not invited",
        CaseloadStatus.Invited => "Invited",
        CaseloadStatus.InvitationExpired => "Invitation expired",
        _ => "Active",
    };
}
