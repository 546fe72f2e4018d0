using System.Globalization;
using System.Text.Json;
using Npgsql;
using Portal.BuildingBlocks.Data;
using Portal.Caseload.Roster;

namespace Portal.Caseload.Listing;

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
    string? LastUpdated,
    int SafetyFlags);

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
    ActivationBlocked,
}

/// <summary>
/// What the list was asked for, checked: <c>page</c> ≥ 1, <c>pageSize</c> 1..200, <c>search</c> ≤ 100 characters,
/// <c>sort</c> name|updated.
/// </summary>
internal sealed record CaseloadQuery(int Page, int PageSize, string? Search, string Sort)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 10_000;
    public const int MaxSearch = 100;

    /// <summary>The title ASP.NET Core gives a validation problem, which the list's 400 has always answered with.</summary>
    private const string InvalidTitle = "One or more validation errors occurred.";

    public static Outcome<CaseloadQuery> Parse(int? page, int? pageSize, string? search, string? sort)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage) errors["page"] = [$"page must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        var term = search?.Trim();
        if (term is { Length: > MaxSearch }) errors["search"] = [$"search must be at most {MaxSearch} characters."];
        var order = string.IsNullOrWhiteSpace(sort) ? "name" : sort.Trim().ToLowerInvariant();
        if (order is not ("name" or "updated")) errors["sort"] = ["sort must be 'name' or 'updated'."];
        if (errors.Count > 0) return Refusal.Invalid(errors, InvalidTitle);
        return new CaseloadQuery(page ?? 1, pageSize ?? DefaultPageSize, term is { Length: > 0 } ? term : null, order);
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
    [Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
    public static async Task<IResult> Get(HttpContext http, ListQueryPool lists, TimeProvider clock,
        int? page, int? pageSize, string? search, string? sort)
    {
        var query = CaseloadQuery.Parse(page, pageSize, search, sort);
        if (!query.Succeeded) return query.Refusal.ToProblem(http);
        return Results.Ok(await CaseloadList.ReadAsync(CurrentUser.From(http.User)!, lists, query.Value, clock.GetUtcNow(), http.RequestAborted));
    }
}

internal static class CaseloadList
{
    private const string Table = "caseload.mt_doc_caseloadclient";

    /// <summary>
    /// Only what a row of the list shows, taken out of the document by PostgreSQL: the whole document (a kilobyte and
    /// more, most of it task ids, assignment ids and the search keys) is neither converted to text nor sent nor parsed.
    /// The tasks come as their JSON array, of which <see cref="ReadTasks"/> reads only what the counts need.
    /// </summary>
    private const string Columns = """
        select d.id, d.data ->> 'FirstName', d.data ->> 'LastName', d.data ->> 'Email', d.data ->> 'Eligible', d.data ->> 'HasActiveAccount',
            d.data ->> 'AccountActive', d.data ->> 'InvitationExpiresAt', d.data ->> 'LockedUntil', d.data -> 'Tasks',
            jsonb_array_length(d.data -> 'CompletedAssignments'), d.data ->> 'LastActivityAt',
            d.data ->> 'LastActivity', coalesce(jsonb_array_length(d.data -> 'OpenSafetyFlags'), 0),
            d.data ->> 'ActivationBlockedAt', d.data ->> 'InvitationIssuedAt'
        """;

    /// <summary>
    /// One query, served by the indexes declared in <see cref="CaseloadIndexesAttribute"/>: the provider's rows in name order
    /// (provider_id, sort_name, id), or by Last Updated (provider_id, last_activity_at), or a prefix search on the
    /// C-collated (provider_id, sort_name | full_name | email_key) indexes. One row more than the page tells whether
    /// another page follows. A search first chooses the page's ids among all the matching rows by the sort keys alone,
    /// which the three prefix indexes carry (index-only scans, no visit to the matching rows), and only then reads the
    /// page's rows: sorting the matches with their columns taken out of every matching document cost PostgreSQL more
    /// than the whole rest of the query, and visiting the 200 rows a common surname matches cost most of what was left.
    /// </summary>
    public static async Task<CaseloadPage> ReadAsync(
        CurrentUser user, ListQueryPool lists, CaseloadQuery query, DateTimeOffset now, CancellationToken cancellation)
    {
        if (!user.IsSupport && !(user.IsProvider && user.ProviderId is not null))
            return new CaseloadPage([], query.Page, query.PageSize, query.Search, query.Sort, false);

        await using var command = new NpgsqlCommand(Statement(user.IsSupport, query.Search is not null, query.Sort == "updated"));
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = user.IsSupport ? Guid.Empty : user.ProviderId!.Value });
        if (query.Search is { } search)
        {
            // "starts with" as a range on the C-collated prefix indexes: with the bounds as parameters the prepared
            // statement keeps one plan, where a LIKE pattern parameter made PostgreSQL plan every search anew.
            var from = search.ToLowerInvariant();
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = from });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = from + char.ConvertFromUtf32(0x10FFFF) });
        }
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = query.PageSize + 1 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (query.Page - 1) * query.PageSize });

        var rows = new List<CaseloadRow>(Math.Min(query.PageSize, 64));
        var more = false;
        await using var connection = await lists.OpenAsync(cancellation);
        command.Connection = connection;
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                if (rows.Count == query.PageSize)
                {
                    more = true;
                    break;
                }
                rows.Add(ToRow(reader, now, safetyFlags: !user.IsSupport));
            }
        }
        return new CaseloadPage(rows, query.Page, query.PageSize, query.Search, query.Sort, more);
    }

    /// <summary>The eight statements (provider or support, search or not, by name or by Last Updated), written once.</summary>
    private static readonly string[] Statements = [.. Enumerable.Range(0, 8).Select(i => Write((i & 1) != 0, (i & 2) != 0, (i & 4) != 0))];

    private static string Statement(bool support, bool search, bool updated) =>
        Statements[(support ? 1 : 0) | (search ? 2 : 0) | (updated ? 4 : 0)];

    private static string Write(bool support, bool search, bool updated)
    {
        var sort = updated ? "updated" : "name";
        var alias = search ? "s" : "d";
        var where = support ? $"{alias}.provider_id <> $1" : $"{alias}.provider_id = $1";
        if (!search) return $"{Columns} from {Table} as d where {where} order by {Order("d", sort)} limit $2 offset $3";
        // One index-only scan per prefix index (each covers the sort keys), the union of their matches, the page of it.
        var matches = string.Join("\n        union ", CaseloadIndexesAttribute.PrefixColumns.Select(column =>
            $"""select s.id, s.sort_name, s.last_activity_at from {Table} as s where {where}""" +
            $""" and s.{column} collate "C" >= $2 and s.{column} collate "C" < $3"""));
        return $"""
            {Columns} from ({matches}
                    order by {Order(null, sort)} limit $4 offset $5) as p
                join {Table} as d on d.id = p.id
                order by {Order("p", sort)}
            """;
    }

    /// <summary>Name order (the database's collation, then id), or Last Updated, newest first, then name order.</summary>
    private static string Order(string? alias, string sort)
    {
        var a = alias is null ? "" : alias + ".";
        return sort == "updated" ? $"{a}last_activity_at desc nulls last, {a}sort_name, {a}id" : $"{a}sort_name, {a}id";
    }

    /// <summary>Support's list leaves the safety flags out: whether a client gave a safety answer is health.</summary>
    private static CaseloadRow ToRow(System.Data.Common.DbDataReader reader, DateTimeOffset now, bool safetyFlags)
    {
        var row = new CaseloadClient
        {
            Id = reader.GetGuid(0),
            FirstName = Text(reader, 1) ?? string.Empty,
            LastName = Text(reader, 2) ?? string.Empty,
            Email = Text(reader, 3) ?? string.Empty,
            Eligible = Flag(reader, 4) ?? false,
            HasActiveAccount = Flag(reader, 5) ?? false,
            AccountActive = Flag(reader, 6),
            InvitationExpiresAt = Time(reader, 7),
            LockedUntil = Time(reader, 8),
            Tasks = reader.IsDBNull(9) ? [] : ReadTasks(reader.GetFieldValue<byte[]>(9)),
            LastActivityAt = Time(reader, 11),
            LastActivity = Text(reader, 12),
            ActivationBlockedAt = Time(reader, 14),
            InvitationIssuedAt = Time(reader, 15),
        };
        return ToRow(row, now, reader.IsDBNull(10) ? 0 : reader.GetInt32(10), safetyFlags ? reader.GetInt32(13) : 0);
    }

    /// <summary>
    /// The tasks' JSON array as the store's serializer wrote <see cref="CaseloadTask"/> (<c>RequestedAt</c>, <c>DueAt</c>,
    /// <c>Outcome</c> as its number or name; the task ids and anything else skipped), read straight from the bytes: the
    /// serializer's stream and its per-property machinery cost the list more than the rest of a row.
    /// </summary>
    private static List<CaseloadTask> ReadTasks(ReadOnlySpan<byte> json)
    {
        var tasks = new List<CaseloadTask>();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return tasks;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var task = new CaseloadTask();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("RequestedAt"u8))
                    task.RequestedAt = reader.Read() && reader.TokenType != JsonTokenType.Null ? reader.GetDateTimeOffset() : null;
                else if (reader.ValueTextEquals("DueAt"u8))
                    task.DueAt = reader.Read() && reader.TokenType != JsonTokenType.Null ? reader.GetDateTimeOffset() : null;
                else if (reader.ValueTextEquals("Outcome"u8))
                {
                    reader.Read();
                    task.Outcome = reader.TokenType switch
                    {
                        JsonTokenType.Null => null,
                        JsonTokenType.Number => (Contracts.TaskOutcome)reader.GetInt32(),
                        _ => Enum.Parse<Contracts.TaskOutcome>(reader.GetString()!, ignoreCase: true),
                    };
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            tasks.Add(task);
        }
        return tasks;
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static bool? Flag(System.Data.Common.DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetString(column) == "true";

    /// <summary>The document's own text of the time (as the serializer wrote it: ISO 8601 with its offset), to the tick.</summary>
    private static DateTimeOffset? Time(System.Data.Common.DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.Parse(reader.GetString(column), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static CaseloadRow ToRow(
        CaseloadClient row, DateTimeOffset now, int completedAssignments, int openSafetyFlags)
    {
        var status = StatusOf(row, now);
        int open = 0, overdue = 0, completed = 0;
        DateTimeOffset? nextDue = null;
        foreach (var task in row.Tasks)
        {
            if (task.Outcome == Contracts.TaskOutcome.Completed) completed++;
            if (!task.IsOpen) continue;
            open++;
            if (task.DueAt is not { } due) continue;
            if (due < now) overdue++;
            if (nextDue is null || due < nextDue) nextDue = due;
        }
        var lockedUntil = status == CaseloadStatus.Locked ? row.LockedUntil : null;
        return new CaseloadRow(row.Id, row.FirstName, row.LastName, row.Email, status.ToString(), Describe(status, lockedUntil),
            status is CaseloadStatus.Invited or CaseloadStatus.InvitationExpired ? row.InvitationExpiresAt : null,
            lockedUntil,
            open,
            overdue,
            nextDue,
            completed,
            completedAssignments,
            row.LastActivityAt,
            row.LastActivity,
            openSafetyFlags);
    }

    /// <summary>A locked account shows as Locked only while the lock runs (it ends by itself at LockedUntil).</summary>
    private static CaseloadStatus StatusOf(CaseloadClient row, DateTimeOffset now) =>
        row.IsLocked(now) ? CaseloadStatus.Locked
        : row.IsActive ? CaseloadStatus.Active
        : !row.Eligible ? CaseloadStatus.NotEligible
        : row.IsActivationBlocked ? CaseloadStatus.ActivationBlocked
        : row.InvitationExpiresAt is not { } expires ? CaseloadStatus.Eligible
        : expires > now ? CaseloadStatus.Invited
        : CaseloadStatus.InvitationExpired;

    private static string Describe(CaseloadStatus status, DateTimeOffset? lockedUntil) => status switch
    {
        CaseloadStatus.Locked =>
            $"Locked until {lockedUntil!.Value.UtcDateTime.ToString("d MMM yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC",
        CaseloadStatus.NotEligible => "Not eligible",
        CaseloadStatus.Eligible => "Eligible, not invited",
        CaseloadStatus.Invited => "Invited",
        CaseloadStatus.InvitationExpired => "Invitation expired",
        CaseloadStatus.ActivationBlocked => "Activation blocked",
        _ => "Active",
    };
}
