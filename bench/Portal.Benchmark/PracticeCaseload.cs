using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Portal.Benchmark;

internal sealed partial class Bench
{
    // ---------------------------------------------------------------------------------------------------------------
    // A group practice's caseload: 100 clinicians with 1,000 clients each, the owner's practice-wide list (wrk)

    private const int PracticeClinicians = 100;
    private const int ClientsPerClinician = 1_000;
    private const string OwnerEmail = "owner@group.bench.portal";
    private const string PracticeSearch = "/api/console/caseload?search=garcia&page=1&pageSize=50";
    private const string PracticeFirstPage = "/api/console/caseload?page=1&pageSize=50";

    /// <summary>
    /// The practice, its owner and its 100 clinicians are made through the HTTP API as support would (the members'
    /// roster messages reach the caseload like any other); the 100,000 clients' caseload rows are then written straight
    /// into the Caseload module's table with COPY, as its roster handler would have written them (adding them through
    /// the API would take the better part of an hour on two cores and measure the roster, not the list). The owner's
    /// list is then measured under wrk: the first page, a search, one clinician's clients; and, for reference, a status
    /// filter and a clinician's own list.
    /// </summary>
    private async Task PracticeCaseloadAsync()
    {
        var support = await RetryAsync(() => _api.SignInAsync(SupportEmail, Password), "support sign-in");
        var practice = await _api.JsonAsync(HttpMethod.Post, "/api/support/practices", support,
            new { practiceName = "Bench Group Practice", providerName = "Dr. Group Owner", providerEmail = OwnerEmail });
        var practiceId = practice.GetProperty("practiceId").GetGuid();
        var ownerId = practice.GetProperty("providerId").GetGuid();
        await _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{ownerId}/portal-access", support, new { enabled = true });
        await RetryAsync(
            () => _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{ownerId}/password", support, new { password = Password }),
            "owner password");
        var owner = await _api.SignInAsync(OwnerEmail, Password);

        // The practice's volume is fixed (the 100 clinicians × 1,000 clients); --clients sizes the main seed only.
        Log($"practice: {PracticeClinicians} clinicians × {ClientsPerClinician:N0} clients = {PracticeClinicians * ClientsPerClinician:N0} " +
            $"caseload rows, whatever --clients says (it sizes only the main seed of {options.ClientCount:N0} clients)");
        Log($"practice: {PracticeClinicians} clinicians through POST /api/support/practices/{{id}}/providers (8 at a time)");
        var clinicians = new Guid[PracticeClinicians];
        await Parallel.ForAsync(0, PracticeClinicians, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop }, async (i, _) =>
        {
            var added = await _api.JsonAsync(HttpMethod.Post, $"/api/support/practices/{practiceId}/providers", support,
                new { name = $"Dr. Clinician {i:D3}", email = ClinicianEmail(i), role = "Clinician" });
            clinicians[i] = added.GetProperty("providerId").GetGuid();
        });
        // One clinician signs in, for the reference run of a clinician's own list: number 2 is on 1,000 other clients'
        // care teams besides their own 1,000 (see CopyPracticeRowsAsync).
        await _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{clinicians[2]}/portal-access", support, new { enabled = true });
        await RetryAsync(
            () => _api.JsonAsync(HttpMethod.Put, $"/api/support/providers/{clinicians[2]}/password", support, new { password = Password }),
            "clinician password");
        var clinician = await _api.SignInAsync(ClinicianEmail(2), Password);
        await DrainAsync("practice members", TimeSpan.FromMinutes(2));

        var watch = Stopwatch.StartNew();
        var rows = await CopyPracticeRowsAsync(practiceId, clinicians);
        var copied = watch.Elapsed;
        // As autovacuum would soon after: statistics for the planner, the visibility map for index-only scans.
        await using (var connection = Connect())
        await using (var command = new NpgsqlCommand("vacuum (analyze) caseload.mt_doc_caseloadclient", connection) { CommandTimeout = 600 })
            await command.ExecuteNonQueryAsync(stop);
        Log($"practice: {rows} caseload rows copied in {copied.TotalSeconds:F1} s, vacuumed and analyzed after {watch.Elapsed.TotalSeconds:F1} s");

        var byClinician = $"/api/console/caseload?clinician={clinicians[42]}&page=1&pageSize=50";
        const string attention = "/api/console/caseload?status=NeedsAttention&page=1&pageSize=50";
        const string invited = "/api/console/caseload?status=Invited&tasks=open&page=1&pageSize=50";
        const string own = "/api/console/caseload?page=1&pageSize=50";
        var warmUp = options.Quick ? 2 : 10;
        foreach (var (path, session) in new[]
                 {
                     (PracticeFirstPage, owner), (PracticeSearch, owner), (byClinician, owner), (attention, owner), (invited, owner), (own, clinician),
                 })
        {
            Log($"wrk: warm-up {path} for {warmUp} s");
            await RunWrkAsync(path, warmUp, session: session);
        }
        await ResetStatementsAsync();
        var size = $"{PracticeClinicians} clinicians × {ClientsPerClinician:N0} clients";
        var first = await WrkAsync($"Owner's practice-wide client list, first page of 50 ({size})", PracticeFirstPage, session: owner);
        var search = await WrkAsync($"Owner's practice-wide client list, search \"garcia\" ({size})", PracticeSearch, session: owner);
        var filtered = await WrkAsync($"Owner's practice-wide client list, one clinician's clients ({size})", byClinician, session: owner);
        var attentionRun = await WrkAsync($"Owner's practice-wide client list, status NeedsAttention (reference, {size})", attention, session: owner);
        var invitedRun = await WrkAsync(
            $"Owner's practice-wide client list, status Invited with open tasks (reference, {size})", invited, session: owner);
        var ownRun = await WrkAsync(
            $"A clinician's client list in that practice (reference, {ClientsPerClinician:N0} own and {ClientsPerClinician:N0} care-team clients)", own,
            session: clinician);
        _report["statementsPracticeCaseload"] = await TopStatementsAsync();
        _report["practiceCaseload"] = new JsonObject
        {
            ["clinicians"] = PracticeClinicians,
            ["clientsPerClinician"] = ClientsPerClinician,
            ["rows"] = rows,
            ["note"] = "fixed volume: --clients sizes only the main seed (settings.clients), not this practice",
            ["copySeconds"] = Math.Round(copied.TotalSeconds, 1),
            ["how"] = "practice, owner and clinicians through the HTTP API (support); the clients' caseload rows by COPY into " +
                      "caseload.mt_doc_caseloadclient as the roster handler writes them (60% active with Last Updated, 20% invited, " +
                      "20% eligible; half with two open tasks, a tenth of those overdue; 1 in 10 on a second clinician's care team), " +
                      "then VACUUM (ANALYZE); the list under wrk with the owner's session",
        };
        var worst = Math.Max(first.P99Ms, Math.Max(search.P99Ms, filtered.P99Ms));
        AddTarget($"Owner's practice-wide client list p99 ({size}: first page, search, clinician filter)", "≤ 30 ms",
            $"{first.P99Ms} ms / {search.P99Ms} ms / {filtered.P99Ms} ms",
            worst <= 30 && first.Errors == 0 && search.Errors == 0 && filtered.Errors == 0);
        AddTarget("Practice-wide list p99 with a status filter; a clinician's own list (shown for reference)", "≤ 30 ms",
            $"NeedsAttention {attentionRun.P99Ms} ms / Invited with open tasks {invitedRun.P99Ms} ms / clinician {ownRun.P99Ms} ms",
            Math.Max(attentionRun.P99Ms, Math.Max(invitedRun.P99Ms, ownRun.P99Ms)) <= 30
            && attentionRun.Errors + invitedRun.Errors + ownRun.Errors == 0);
    }

    private static string ClinicianEmail(int i) => $"clinician{i:D3}@group.bench.portal";

    /// <summary>
    /// The practice's caseload rows, written with COPY (binary) in the shape Caseload's roster handler stores them: the
    /// document as the store serializes a CaseloadClient (property names as declared, dates ISO 8601) and its duplicated
    /// columns. Names as the main seed makes them (a twentieth of the last names is "Garcia"), numbered to be unique.
    /// </summary>
    private async Task<int> CopyPracticeRowsAsync(Guid practiceId, Guid[] clinicians)
    {
        var now = DateTimeOffset.UtcNow;
        var total = clinicians.Length * ClientsPerClinician;
        Log($"practice: copying {total:N0} caseload rows");
        await using var connection = Connect();
        await using var importer = await connection.BeginBinaryImportAsync(
            "copy caseload.mt_doc_caseloadclient (id, data, mt_last_modified, mt_version, mt_dotnet_type, provider_id, practice_id, " +
            "sort_name, full_name, email_key, last_activity_at) from stdin (format binary)", stop);
        for (var i = 0; i < total; i++)
        {
            var primary = clinicians[i % clinicians.Length];
            var first = FirstNames[i % FirstNames.Length];
            var last = $"{LastNames[i / FirstNames.Length % LastNames.Length]}-{i:D6}";
            var email = $"group{i:D6}@bench.portal";
            var kind = i % 5; // 0-2 active, 3 invited, 4 eligible
            DateTimeOffset? lastActivity = kind <= 2 ? now.AddMinutes(-(i % 50_000)) : null;
            var tasks = new JsonArray();
            if (i % 2 == 0)
                for (var t = 0; t < 2; t++)
                    tasks.Add(new JsonObject
                    {
                        ["TaskId"] = Guid.NewGuid(),
                        ["RequestedAt"] = now.AddDays(-3),
                        ["DueAt"] = i % 20 == 0 ? now.AddDays(-1) : now.AddDays(4),
                        ["Outcome"] = null,
                    });
            var careTeam = new JsonArray();
            if (i % 10 == 1) careTeam.Add(clinicians[(i + 1) % clinicians.Length]);
            var document = new JsonObject
            {
                ["Id"] = Guid.NewGuid(),
                ["ProviderId"] = primary,
                ["PracticeId"] = practiceId,
                ["PracticeName"] = "Bench Group Practice",
                ["FirstName"] = first,
                ["LastName"] = last,
                ["Email"] = email,
                ["Eligible"] = true,
                ["HasActiveAccount"] = kind <= 2,
                ["Version"] = 1,
                ["CareTeam"] = careTeam,
                ["Discharged"] = false,
                ["SortName"] = $"{last} {first}".ToLowerInvariant(),
                ["FullName"] = $"{first} {last}".ToLowerInvariant(),
                ["EmailKey"] = email,
                ["AccountActive"] = kind <= 2 ? true : null,
                ["AccountStatusAt"] = kind <= 2 ? now.AddDays(-30) : null,
                ["InvitationExpiresAt"] = kind == 3 ? now.AddDays(3) : kind <= 2 ? now.AddDays(-25) : null,
                ["InvitationIssuedAt"] = kind <= 3 ? now.AddDays(-2) : null,
                ["Tasks"] = tasks,
                ["CompletedAssignments"] = new JsonArray(),
                ["LastActivityAt"] = lastActivity,
                ["LastActivity"] = lastActivity is null ? null : "Completed the PHQ-9",
                ["OpenSafetyFlags"] = new JsonArray(),
                ["AcknowledgedSafetyFlags"] = new JsonArray(),
            };
            var id = document["Id"]!.GetValue<Guid>();
            await importer.StartRowAsync(stop);
            await importer.WriteAsync(id, NpgsqlDbType.Uuid, stop);
            await importer.WriteAsync(document.ToJsonString(), NpgsqlDbType.Jsonb, stop);
            await importer.WriteAsync(now, NpgsqlDbType.TimestampTz, stop);
            await importer.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, stop);
            await importer.WriteAsync("Portal.Caseload.Roster.CaseloadClient", NpgsqlDbType.Varchar, stop);
            await importer.WriteAsync(primary, NpgsqlDbType.Uuid, stop);
            await importer.WriteAsync(practiceId, NpgsqlDbType.Uuid, stop);
            await importer.WriteAsync(document["SortName"]!.GetValue<string>(), NpgsqlDbType.Varchar, stop);
            await importer.WriteAsync(document["FullName"]!.GetValue<string>(), NpgsqlDbType.Varchar, stop);
            await importer.WriteAsync(email, NpgsqlDbType.Varchar, stop);
            if (lastActivity is { } at) await importer.WriteAsync(at, NpgsqlDbType.TimestampTz, stop);
            else await importer.WriteNullAsync(stop);
            if ((i + 1) % 20_000 == 0) Log($"  {i + 1:N0} rows");
        }
        await importer.CompleteAsync(stop);
        return total;
    }
}
