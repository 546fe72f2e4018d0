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
    Discharged,
}

/// <summary>Which clients' tasks the list is narrowed to: with an open task, with one past its due date, with none open.</summary>
internal enum CaseloadTaskFilter
{
    Open,
    Overdue,
    None,
}

/// <summary>
/// What the list was asked for, checked: <c>page</c> ≥ 1, <c>pageSize</c> 1..200, <c>search</c> ≤ 100 characters,
/// <c>sort</c> name|updated, <c>clinician</c> a member's id or <c>me</c> (the primary clinician), <c>status</c> one of
/// the statuses a row shows or <c>NeedsAttention</c>, <c>tasks</c> open|overdue|none. Whether the clinician is one of
/// the viewer's practice is checked against the roster (<see cref="CaseloadList.CheckClinicianAsync"/>).
/// </summary>
internal sealed record CaseloadQuery(int Page, int PageSize, string? Search, string Sort)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 10_000;
    public const int MaxSearch = 100;
    public const string NeedsAttention = "NeedsAttention";

    /// <summary>The primary clinician to narrow to (null: everyone the viewer sees); <see cref="Me"/> for the viewer.</summary>
    public Guid? Clinician { get; init; }
    public bool Me { get; init; }

    /// <summary>A <see cref="CaseloadStatus"/> name or <see cref="NeedsAttention"/>.</summary>
    public string? Status { get; init; }
    public CaseloadTaskFilter? Tasks { get; init; }

    /// <summary>The status filter's values, in the order the page offers them.</summary>
    public static readonly string[] Statuses =
    [
        NeedsAttention, nameof(CaseloadStatus.Active), nameof(CaseloadStatus.Invited), nameof(CaseloadStatus.InvitationExpired),
        nameof(CaseloadStatus.Eligible), nameof(CaseloadStatus.ActivationBlocked), nameof(CaseloadStatus.Locked),
        nameof(CaseloadStatus.NotEligible), nameof(CaseloadStatus.Discharged),
    ];

    /// <summary>The title ASP.NET Core gives a validation problem, which the list's 400 has always answered with.</summary>
    private const string InvalidTitle = "One or more validation errors occurred.";

    public static Outcome<CaseloadQuery> Parse(int? page, int? pageSize, string? search, string? sort,
        string? clinician = null, string? status = null, string? tasks = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage) errors["page"] = [$"page must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        var term = search?.Trim();
        if (term is { Length: > MaxSearch }) errors["search"] = [$"search must be at most {MaxSearch} characters."];
        var order = string.IsNullOrWhiteSpace(sort) ? "name" : sort.Trim().ToLowerInvariant();
        if (order is not ("name" or "updated")) errors["sort"] = ["sort must be 'name' or 'updated'."];

        Guid? clinicianId = null;
        var me = false;
        if (!string.IsNullOrWhiteSpace(clinician))
        {
            if (clinician.Trim().Equals("me", StringComparison.OrdinalIgnoreCase)) me = true;
            else if (Guid.TryParse(clinician.Trim(), out var id) && id != Guid.Empty) clinicianId = id;
            else errors["clinician"] = ["clinician must be a practice member's id or 'me'."];
        }
        string? statusName = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statusName = Statuses.FirstOrDefault(s => s.Equals(status.Trim(), StringComparison.OrdinalIgnoreCase));
            if (statusName is null) errors["status"] = [$"status must be one of {string.Join(", ", Statuses)}."];
        }
        CaseloadTaskFilter? taskFilter = null;
        if (!string.IsNullOrWhiteSpace(tasks))
        {
            if (Enum.TryParse<CaseloadTaskFilter>(tasks.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                && !int.TryParse(tasks, out _))
                taskFilter = parsed;
            else errors["tasks"] = ["tasks must be 'open', 'overdue' or 'none'."];
        }

        if (errors.Count > 0) return Refusal.Invalid(errors, InvalidTitle);
        return new CaseloadQuery(page ?? 1, pageSize ?? DefaultPageSize, term is { Length: > 0 } ? term : null, order)
        {
            Clinician = clinicianId, Me = me, Status = statusName, Tasks = taskFilter,
        };
    }
}

/// <summary>
/// The caseload list: <c>GET /api/console/caseload?page=1&amp;pageSize=50&amp;search=gar&amp;sort=name|updated
/// &amp;clinician=&lt;id&gt;|me&amp;status=Invited&amp;tasks=open|overdue|none</c>. Who sees which rows is the card
/// rule: an owner, front desk or biller the whole practice, a clinician their own clients and their care teams', support
/// every client. By name (last, first) or by Last Updated (newest first). <c>search</c> matches, case-insensitively, the
/// start of the last name, the first name, the full name ("avery gar") or the email; <c>clinician</c> narrows to one
/// primary clinician, <c>status</c> to a portal status (or those needing attention: activation blocked, invitation
/// expired, locked, a task overdue, and for the clinical roles a safety answer not yet acknowledged), <c>tasks</c> to
/// clients with an open task, an overdue one, or none open; all of them combine. Out-of-range paging, an unknown sort
/// or filter value, or a clinician who is not of the viewer's practice answers 400 with the parameter named.
/// The page <c>/console/clients</c> reads the same slice.
/// </summary>
public static class ListCaseloadEndpoint
{
    [WolverineGet("/api/console/caseload")]
    [Authorize(Policy = PortalPolicies.PracticeMemberOrSupport)]
    public static async Task<IResult> Get(HttpContext http, ListQueryPool lists, TimeProvider clock,
        int? page, int? pageSize, string? search, string? sort, string? clinician, string? status, string? tasks)
    {
        var user = CurrentUser.From(http.User)!;
        var query = CaseloadQuery.Parse(page, pageSize, search, sort, clinician, status, tasks);
        if (!query.Succeeded) return query.Refusal.ToProblem(http);
        var known = await CaseloadList.CheckClinicianAsync(user, lists, query.Value, http.RequestAborted);
        if (known is not null) return known.ToProblem(http);
        return Results.Ok(await CaseloadList.ReadAsync(user, lists, query.Value, clock.GetUtcNow(), http.RequestAborted));
    }
}

/// <summary>A clinician the list can be narrowed to: one who can be a client's primary (an owner or a clinician).</summary>
public sealed record CaseloadClinician(Guid Id, string Name, bool Active);

internal static class CaseloadList
{
    private const string Table = "caseload.mt_doc_caseloadclient";
    private const string Members = "caseload.mt_doc_caseloadmember";

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
            d.data ->> 'ActivationBlockedAt', d.data ->> 'InvitationIssuedAt', d.data ->> 'Discharged'
        """;

    /// <summary>
    /// One query, served by the indexes declared in <see cref="CaseloadIndexesAttribute"/>: the rows in the viewer's
    /// scope (a practice's, or a clinician's own and care-team clients, or support's all, narrowed to one primary
    /// clinician when asked) in name order (scope, sort_name, id), or by Last Updated (scope, last_activity_at), or a
    /// prefix search on the C-collated (scope, sort_name | full_name | email_key) indexes, in their C-collated name order.
    /// One row more than the page tells whether another page follows. A search first chooses the page's ids among all the matching rows by the sort
    /// keys alone, which the three prefix indexes carry (index-only scans, no visit to the matching rows), and only then
    /// reads the page's rows: sorting the matches with their columns taken out of every matching document cost
    /// PostgreSQL more than the whole rest of the query, and visiting the 200 rows a common surname matches cost most of
    /// what was left. The status and task filters are conditions on the rows in scope, the same rules as
    /// <see cref="StatusOf"/> and the row's task counts, written in SQL.
    /// </summary>
    public static async Task<CaseloadPage> ReadAsync(
        CurrentUser user, ListQueryPool lists, CaseloadQuery query, DateTimeOffset now, CancellationToken cancellation)
    {
        var statement = new Statement();
        if (!Scope(user, query, statement)) return new CaseloadPage([], query.Page, query.PageSize, query.Search, query.Sort, false);
        Filter(user, query, now, statement);
        await using var command = new NpgsqlCommand(Write(statement, query));
        foreach (var parameter in statement.Parameters) command.Parameters.Add(parameter);

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
                rows.Add(ToRow(reader, now, safetyFlags: user.IsClinical));
            }
        }
        return new CaseloadPage(rows, query.Page, query.PageSize, query.Search, query.Sort, more);
    }

    /// <summary>
    /// Who sees which rows, the card rule (<see cref="ClientCard.IsVisibleTo(CurrentUser)"/>) as conditions: support
    /// every row; an owner, front desk or biller their practice's; a clinician their practice's clients whose primary
    /// they are or whose care team they are on. False for anyone else (they see nothing).
    /// </summary>
    private static bool Scope(CurrentUser user, CaseloadQuery query, Statement statement)
    {
        if (user.IsSupport)
        {
            if (query.Me) return false;
        }
        else if (user is { IsProvider: true, PracticeId: { } practiceId, ProviderId: { } memberId, StaffRole: { } role })
        {
            var practice = statement.Add(practiceId);
            statement.Where(a => $"{a}.practice_id = {practice}");
            if (role == StaffRole.Clinician)
            {
                // Two disjoint branches, each read in order from its own index (see Write): an OR of the two let the
                // planner walk the whole practice in name order, filtering, 44 ms at 100,000 clients.
                var me = statement.Add(memberId);
                var team = statement.Add(JsonSerializer.Serialize(new[] { memberId }));
                statement.Branch(a => $"{a}.provider_id = {me}");
                statement.Branch(a => $"{a}.data -> 'CareTeam' @> {team}::jsonb and {a}.provider_id <> {me}");
            }
        }
        else return false;

        if ((query.Me ? user.ProviderId : query.Clinician) is { } primary)
        {
            var clinician = statement.Add(primary);
            statement.Where(a => $"{a}.provider_id = {clinician}");
        }
        return true;
    }

    private static void Filter(CurrentUser user, CaseloadQuery query, DateTimeOffset now, Statement statement)
    {
        if (query.Status is null && query.Tasks is null) return;
        var at = statement.Add(now);
        if (query.Status == CaseloadQuery.NeedsAttention)
        {
            // The safety badge is clinical: it makes a row "need attention" only for those who are shown it.
            string Safety(string a) =>
                user.IsClinical ? $" or jsonb_array_length(coalesce({a}.data -> 'OpenSafetyFlags', '[]'::jsonb)) > 0" : "";
            statement.Where(a => $"""
                ({StatusSql(a, at)}) <> 'Discharged' and (({StatusSql(a, at)}) in ('ActivationBlocked', 'InvitationExpired', 'Locked')
                    or {OpenTaskSql(a, at)}{Safety(a)})
                """);
        }
        else if (query.Status is { } status)
        {
            var wanted = statement.Add(status);
            statement.Where(a => $"({StatusSql(a, at)}) = {wanted}");
        }
        switch (query.Tasks)
        {
            case CaseloadTaskFilter.Open: statement.Where(a => OpenTaskSql(a, null)); break;
            case CaseloadTaskFilter.Overdue: statement.Where(a => OpenTaskSql(a, at)); break;
            case CaseloadTaskFilter.None: statement.Where(a => $"not {OpenTaskSql(a, null)}"); break;
        }
    }

    /// <summary><see cref="StatusOf"/> in SQL, over the document's fields as the serializer wrote them.</summary>
    private static string StatusSql(string a, string now)
    {
        var active = $"coalesce(({a}.data ->> 'AccountActive')::boolean, ({a}.data ->> 'HasActiveAccount')::boolean, false)";
        return $"""
            case when coalesce(({a}.data ->> 'Discharged')::boolean, false) then 'Discharged'
                when {active} and ({a}.data ->> 'LockedUntil')::timestamptz > {now} then 'Locked'
                when {active} then 'Active'
                when not coalesce(({a}.data ->> 'Eligible')::boolean, false) then 'NotEligible'
                when {a}.data ->> 'ActivationBlockedAt' is not null and not coalesce(
                    ({a}.data ->> 'InvitationIssuedAt')::timestamptz > ({a}.data ->> 'ActivationBlockedAt')::timestamptz, false)
                    then 'ActivationBlocked'
                when {a}.data ->> 'InvitationExpiresAt' is null then 'Eligible'
                when ({a}.data ->> 'InvitationExpiresAt')::timestamptz > {now} then 'Invited'
                else 'InvitationExpired' end
            """;
    }

    /// <summary>A task open (requested, no outcome), or open and due before <paramref name="dueBefore"/>: as the row counts them.</summary>
    private static string OpenTaskSql(string a, string? dueBefore) =>
        $"exists (select 1 from jsonb_array_elements({a}.data -> 'Tasks') as t where t ->> 'Outcome' is null" +
        $" and t ->> 'RequestedAt' is not null{(dueBefore is null ? "" : $" and (t ->> 'DueAt')::timestamptz < {dueBefore}")})";

    private static string Write(Statement statement, CaseloadQuery query)
    {
        var sort = query.Sort;
        var limit = statement.Add(query.PageSize + 1);
        var offset = statement.Add((query.Page - 1) * query.PageSize);
        var branches = statement.Branches;
        if (query.Search is null && branches == 1)
            return $"{Columns} from {Table} as d where {statement.Conditions("d", 0)} order by {Order("d", sort)} limit {limit} offset {offset}";
        string Keys(int branch) =>
            $"select s.id, s.sort_name, s.last_activity_at from {Table} as s where {statement.Conditions("s", branch)}";
        string SearchKeys(int branch) =>
            $"""select s.id, s.sort_name collate "C" as sort_name, s.last_activity_at from {Table} as s """ +
            $"where {statement.Conditions("s", branch)}";
        string keys;
        var with = "";
        if (query.Search is not { } search)
        {
            // The first branch (a clinician's own clients): its first rows up to the end of the page, in order from its
            // index. The others (the care teams', a few rows) whole, each computed apart: asked for in order with a
            // limit, the planner walked the whole practice in name order instead of taking them from the GIN index.
            var upTo = statement.Add(query.Page * query.PageSize + 1);
            with = "with " + string.Join(", ", Enumerable.Range(1, branches - 1).Select(branch =>
                $"b{branch} as materialized ({Keys(branch)})")) + "\n";
            keys = $"({Keys(0)} order by {Order("s", sort)} limit {upTo})" + string.Concat(Enumerable.Range(1, branches - 1).Select(branch =>
                $"\n        union all select b{branch}.id, b{branch}.sort_name, b{branch}.last_activity_at from b{branch}"));
        }
        else
        {
            // "starts with" as a range on the C-collated prefix indexes: with the bounds as parameters the prepared
            // statement keeps one plan, where a LIKE pattern parameter made PostgreSQL plan every search anew.
            var term = search.ToLowerInvariant();
            var from = statement.Add(term);
            var to = statement.Add(term + char.ConvertFromUtf32(0x10FFFF));
            var upTo = statement.Add(query.Page * query.PageSize + 1);
            // One index-only scan per prefix index (each covers the sort keys), each branch cut to the rows up to the end
            // of the page in the list's order, the union of those, the page of it. A search's name order is the
            // C-collated one of its prefix indexes (the same as the database's where, as here, that is C): the sort_name
            // index then hands its matches over in order and the branch stops after the page, where sorting all of a
            // common surname's matches (2,000 of 100,000) cost the search most of its time.
            keys = string.Join("\n        union ", Enumerable.Range(0, branches).SelectMany(branch =>
                CaseloadIndexesAttribute.PrefixColumns.Select(column =>
                    $"""({SearchKeys(branch)} and s.{column} collate "C" >= {from} and s.{column} collate "C" < {to} """ +
                    $"order by {Order(null, sort)} limit {upTo})")));
        }
        return $"""
            {with}{Columns} from ({keys}
                    order by {Order(null, sort)} limit {limit} offset {offset}) as p
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

    /// <summary>
    /// A statement's positional parameters, its conditions and its branches, each written for the table alias it is used
    /// with.
    /// </summary>
    private sealed class Statement
    {
        private readonly List<Func<string, string>> _conditions = [];

        public List<NpgsqlParameter> Parameters { get; } = [];

        /// <summary>Adds a parameter; returns its placeholder ($n).</summary>
        public string Add<T>(T value)
        {
            Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
            return "$" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        private readonly List<Func<string, string>> _branches = [];

        public void Where(Func<string, string> condition) => _conditions.Add(condition);

        /// <summary>One of several disjoint sets of rows the list is the union of (a clinician's own, their care teams').</summary>
        public void Branch(Func<string, string> condition) => _branches.Add(condition);

        public int Branches => Math.Max(1, _branches.Count);

        public string Conditions(string alias, int branch)
        {
            var all = _conditions.Select(c => c(alias)).ToList();
            if (_branches.Count > 0) all.Add(_branches[branch](alias));
            return all.Count == 0 ? "true" : string.Join(" and ", all);
        }
    }

    /// <summary>
    /// Refuses a clinician filter on someone the viewer may not narrow to: "me" for support (who has no clients of their
    /// own), a member of another practice (support: any practice's), or a member who cannot be a primary (front desk,
    /// biller). Null when the filter is fine.
    /// </summary>
    public static async Task<Refusal?> CheckClinicianAsync(CurrentUser user, ListQueryPool lists, CaseloadQuery query, CancellationToken cancellation)
    {
        if (query.Me && !user.IsProvider) return Refused("clinician 'me' is for a practice member.");
        if (query.Clinician is not { } id) return null;
        await using var connection = await lists.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"select d.practice_id, d.data ->> 'Role' from {Members} as d where d.id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation)) return Refused("clinician is not a clinician of your practice.");
        var practice = reader.GetGuid(0);
        var clinical = RoleOf(reader.IsDBNull(1) ? null : reader.GetString(1)) is StaffRole.Owner or StaffRole.Clinician;
        return clinical && (user.IsSupport || practice == user.PracticeId) ? null : Refused("clinician is not a clinician of your practice.");
    }

    private static Refusal Refused(string message) =>
        Refusal.Invalid(new Dictionary<string, string[]> { ["clinician"] = [message] }, "One or more validation errors occurred.");

    /// <summary>The clinician filter's choices for a member who sees the whole practice: its owners and clinicians, by name.</summary>
    public static async Task<IReadOnlyList<CaseloadClinician>> CliniciansAsync(CurrentUser user, ListQueryPool lists, CancellationToken cancellation)
    {
        if (user is not { IsProvider: true, PracticeId: { } practiceId }) return [];
        await using var connection = await lists.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            $"select d.id, d.data ->> 'Name', d.data ->> 'Role', d.data ->> 'Active' from {Members} as d where d.practice_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = practiceId });
        var clinicians = new List<CaseloadClinician>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            if (RoleOf(Text(reader, 2)) is StaffRole.Owner or StaffRole.Clinician)
                clinicians.Add(new CaseloadClinician(reader.GetGuid(0), Text(reader, 1) ?? string.Empty, Flag(reader, 3) ?? true));
        return [.. clinicians.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.Id)];
    }

    /// <summary>The role as the store's serializer wrote it: its number or its name.</summary>
    private static StaffRole? RoleOf(string? text) =>
        int.TryParse(text, CultureInfo.InvariantCulture, out var number) ? (StaffRole)number
        : Enum.TryParse<StaffRole>(text, out var role) ? role : null;

    /// <summary>
    /// Only the clinical roles see the safety flags: whether a client gave a safety answer is health (support, front desk
    /// and billers get none).
    /// </summary>
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
            Discharged = Flag(reader, 16) ?? false,
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
        row.Discharged ? CaseloadStatus.Discharged
        : row.IsLocked(now) ? CaseloadStatus.Locked
        : row.IsActive ? CaseloadStatus.Active
        : !row.Eligible ? CaseloadStatus.NotEligible
        : row.IsActivationBlocked ? CaseloadStatus.ActivationBlocked
        : row.InvitationExpiresAt is not { } expires ? CaseloadStatus.Eligible
        : expires > now ? CaseloadStatus.Invited
        : CaseloadStatus.InvitationExpired;

    private static string Describe(CaseloadStatus status, DateTimeOffset? lockedUntil) => status switch
    {
        // Until when is LockedUntil: the page shows it in the reader's zone, a text here could only pick one zone for all.
        CaseloadStatus.Locked => "Locked",
        CaseloadStatus.NotEligible => "Not eligible",
        CaseloadStatus.Eligible => "Eligible, not invited",
        CaseloadStatus.Invited => "Invited",
        CaseloadStatus.InvitationExpired => "Invitation expired",
        CaseloadStatus.ActivationBlocked => "Activation blocked",
        CaseloadStatus.Discharged => "Discharged",
        _ => "Active",
    };
}
