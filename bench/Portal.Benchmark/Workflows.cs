using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Portal.Benchmark;

internal sealed partial class Bench
{
    // ---------------------------------------------------------------------------------------------------------------
    // Workflows (issue #30): a task completion's CPU with few and with many running assignments in the database, many
    // timers due at the same moment, a bulk assignment

    private const int FewRunning = 1_000;

    private static object MeasuredWorkflow => new
    {
        name = "Measured PHQ-9",
        stages = new object[]
        {
            new { name = "Questionnaire", tasks = new object[]
            {
                new { key = "phq9", kind = "CompleteAssessment", subjectId = "phq9", title = "Complete the PHQ-9 questionnaire" },
            } },
        },
    };

    /// <summary>One task whose reminder and overdue mark both fall due one day after the assignment, at the same moment.</summary>
    private static object CheckInWorkflow => new
    {
        name = "Weekly check-in",
        stages = new object[]
        {
            new { name = "Check-in", tasks = new object[]
            {
                new { key = "gad7", kind = "CompleteAssessment", subjectId = "gad7", title = "Complete the GAD-7 questionnaire",
                      dueInDays = 1, remindEveryDays = 1, maxReminders = 1 },
            } },
        },
    };

    /// <summary>
    /// (a) CPU per task completion with <see cref="FewRunning"/> and with <c>--running</c> (100,000) running assignments
    /// in the database: each measured completion is a signed-in client's PHQ-9 that completes the one open task of a
    /// fresh assignment (and finishes it), measured from /proc as the host's CPU until every message it caused was
    /// handled. The other running assignments are copies of one real assignment stream (events, stream row, inline
    /// snapshot) made with INSERT ... SELECT under new ids: what the host would have written for other clients.
    /// (c) The check-in workflow assigned to every client (500 per request, 4 in flight). (b) Its timers (a reminder and
    /// an overdue mark per assignment, armed by that assignment one day ahead) moved to one moment a few seconds ahead,
    /// in the durable envelopes (the host's clock cannot be moved): all must fire within 60 s, each once.
    /// </summary>
    private async Task WorkflowsAsync(HostProcess host)
    {
        var many = options.Running;
        var few = Math.Min(FewRunning, many / 10);
        var available = _clientIds.Count - options.Concurrency - 1;
        var perLevel = Math.Min(options.Quick ? 50 : 200, available / 2);
        if (perLevel < 5) throw new InvalidOperationException($"workflows: too few clients ({_clientIds.Count}); use --clients {options.Concurrency + 12} or more");
        var report = new JsonObject { ["runningFew"] = few, ["runningMany"] = many, ["completionsPerLevel"] = perLevel };
        _report["workflows"] = report;

        Log($"workflows: signing in {2 * perLevel} more clients for the measured completions (8 at a time)");
        var measured = new BenchClient[2 * perLevel];
        await Parallel.ForAsync(0, measured.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop }, async (i, _) =>
            measured[i] = await SignInClientAsync(options.Concurrency + i));
        var measuredWorkflow = await PublishWorkflowAsync(MeasuredWorkflow);

        // The template: a real running assignment (the seed's intake workflow) of a client who takes no other part.
        var filler = await PublishWorkflowAsync(Workflow("Filler intake"));
        var template = await _api.JsonAsync(HttpMethod.Post, $"/api/workflows/{filler}/assignments", _provider,
            new { clientIds = new[] { _clientIds[^1] } });
        var templateId = template.GetProperty("assignments")[0].GetProperty("assignmentId").GetGuid();
        await DrainAsync("template assignment", TimeSpan.FromMinutes(2));

        // The first measure must not pay for the JIT: the seed's signed-in clients complete tasks first (--warmup).
        Log($"workflows: warm-up, {_signedIn.Count} signed-in clients completing tasks for {options.CompletionWarmUp} s");
        await RunCompletionsAsync(TimeSpan.FromSeconds(options.CompletionWarmUp), null, null);
        await DrainAsync("warm-up completions", TimeSpan.FromMinutes(10));

        var levels = new JsonArray();
        foreach (var (level, clients) in new[] { (few, measured[..perLevel]), (many, measured[perLevel..]) })
        {
            var running = await RunningAssignmentsAsync();
            if (running < level)
            {
                var watch = Stopwatch.StartNew();
                await CloneAssignmentAsync(templateId, (int)(level - running));
                Log($"workflows: {level - running:N0} running assignments copied in {watch.Elapsed.TotalSeconds:F1} s " +
                    "(events, streams, snapshots; then VACUUM ANALYZE)");
            }
            levels.Add(await MeasureCompletionsAsync(host, measuredWorkflow, clients, await RunningAssignmentsAsync()));
        }
        report["completionCpu"] = levels;
        var fewCpu = levels[0]!["hostCpuMsPerCompletion"]!.GetValue<double>();
        var manyCpu = levels[1]!["hostCpuMsPerCompletion"]!.GetValue<double>();
        var ratio = Math.Round(manyCpu / fewCpu, 3);
        report["hostCpuRatioManyToFew"] = ratio;
        Log($"workflows: host CPU per completion {fewCpu} ms with {few:N0} running, {manyCpu} ms with {many:N0}: ratio {ratio}");
        AddTarget($"Task completion CPU (host) with {many:N0} vs {few:N0} running assignments", "within 10% (ratio ≤ 1.10)",
            $"{manyCpu} ms vs {fewCpu} ms per completion (ratio {ratio.ToString(CultureInfo.InvariantCulture)}; " +
            $"PostgreSQL {levels[1]!["postgresCpuMsPerCompletion"]} vs {levels[0]!["postgresCpuMsPerCompletion"]} ms)",
            ratio <= 1.10);

        await BulkAssignAndTimersAsync(report);
    }

    /// <summary>Signs in main-seed client number <paramref name="i"/>: invited, activated from the emailed link, signed in.</summary>
    private async Task<BenchClient> SignInClientAsync(int i)
    {
        var email = ClientEmail(i);
        var from = _mail.Count;
        await _api.JsonAsync(HttpMethod.Post, $"/api/console/clients/{_clientIds[i]}/invitation", _provider);
        var invitation = await _mail.WaitForAsync(
            m => m.To.Contains(email) && m.Text.Contains("token=", StringComparison.Ordinal), from, TimeSpan.FromSeconds(60));
        await _api.JsonAsync(HttpMethod.Post, "/api/account/activate", null,
            new { token = TokenIn(invitation.Text), dateOfBirth = new DateOnly(1960, 1, 1).AddDays(i % 15000), password = Password });
        var cookie = await _api.SignInAsync(email, Password);
        return new BenchClient(_clientIds[i], email, $"client {i}", cookie);
    }

    private async Task<Guid> PublishWorkflowAsync(object workflow)
    {
        var created = await _api.JsonAsync(HttpMethod.Post, "/api/workflows", _provider, workflow);
        var id = created.GetProperty("id").GetGuid();
        await _api.JsonAsync(HttpMethod.Post,
            $"/api/workflows/{id}/publish?expectedRevision={created.GetProperty("revision").GetInt32()}", _provider);
        return id;
    }

    private Task<long> RunningAssignmentsAsync() =>
        ScalarAsync("select count(*) from intake.mt_doc_intakeassignment where data->>'Status' in ('0', 'Running')");

    /// <summary>
    /// The measured workflow assigned to these clients (not measured), then each client's PHQ-9 (8 in flight), each of
    /// which completes the one open task of their assignment and finishes it; the host's CPU from the first PHQ-9 until
    /// every message the completions caused was handled, per completion.
    /// </summary>
    private async Task<JsonObject> MeasureCompletionsAsync(HostProcess host, Guid workflow, BenchClient[] clients, long running)
    {
        await _api.JsonAsync(HttpMethod.Post, $"/api/workflows/{workflow}/assignments", _provider,
            new { clientIds = clients.Select(c => c.ClientId).ToArray() });
        await DrainAsync("measured assignments", TimeSpan.FromMinutes(5));
        await SettleDatabaseAsync();

        // What the host spends doing nothing for as long (its timers, the durability agent's polling): shown beside.
        var idle = await CpuSplit.StartAsync(host.Pid, Connect);
        await Task.Delay(TimeSpan.FromSeconds(5), stop);
        var idleCpu = idle.Stop(5);

        var finishedBefore = await ScalarAsync("select count(*) from events.mt_events where type = 'assignment_finished'");
        Log($"workflows: {clients.Length} completions with {running:N0} running assignments in the database");
        var cpu = await CpuSplit.StartAsync(host.Pid, Connect);
        var latencies = new Latencies();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop },
            async (client, _) => await SubmitAssessmentAsync(client, latencies));
        var answered = watch.Elapsed.TotalSeconds;
        await DrainAsync("measured completions", TimeSpan.FromMinutes(5));
        var split = cpu.Stop(watch.Elapsed.TotalSeconds, clients.Length, "completion");
        var finished = await ScalarAsync("select count(*) from events.mt_events where type = 'assignment_finished'") - finishedBefore;
        if (finished != clients.Length || latencies.Errors > 0)
            throw new InvalidOperationException(
                $"workflows: {clients.Length} PHQ-9s finished {finished} assignments ({latencies.Errors} errors); the measure is void");
        var result = latencies.Result($"Task completion (PHQ-9) with {running:N0} running assignments", answered, "8 in flight");
        _scenarios.Add(result);
        split["runningAssignments"] = running;
        split["completions"] = clients.Length;
        split["p50Ms"] = result.P50Ms;
        split["p99Ms"] = result.P99Ms;
        split["hostIdleShareBefore"] = idleCpu["host"]?.DeepClone();
        return split;
    }

    /// <summary>
    /// Copies one running assignment <paramref name="count"/> times under new ids (assignment, client, tasks): its
    /// stream row, its events and its inline snapshot, each column as stored, ids replaced wherever they appear.
    /// </summary>
    private async Task CloneAssignmentAsync(Guid templateId, int count)
    {
        await using var connection = Connect();
        string snapshot;
        await using (var read = new NpgsqlCommand("select data::text from intake.mt_doc_intakeassignment where id = @id", connection))
        {
            read.Parameters.AddWithValue("id", templateId);
            snapshot = (string)(await read.ExecuteScalarAsync(stop))!;
        }
        var state = JsonDocument.Parse(snapshot).RootElement;
        var clientId = Property(state, "ClientId").GetString()!;
        var taskIds = Property(state, "Tasks").EnumerateArray()
            .Select(t => Property(t, "TaskId")).Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList();

        // Ids as text, in the JSON and in any text column; each clone's task ids derived from its number.
        var replace = $"replace(replace({{0}}, '{templateId}', m.a::text), '{clientId}', m.c::text)";
        foreach (var task in taskIds) replace = $"replace({replace}, '{task}', md5(m.n::text || '{task}')::uuid::text)";

        await using var transaction = await connection.BeginTransactionAsync(stop);
        await ExecuteAsync(connection,
            "create temp table bench_clone on commit drop as " +
            $"select n, gen_random_uuid() as a, gen_random_uuid() as c from generate_series(1, {count}) n");
        foreach (var (table, key) in new[]
                 {
                     ("events.mt_streams", "id"), ("events.mt_events", "stream_id"), ("intake.mt_doc_intakeassignment", "id"),
                 })
        {
            var columns = await ColumnsAsync(connection, table);
            var names = columns.Where(c => !c.Generated).Select(c => c.Name).ToList();
            var values = columns.Where(c => !c.Generated).Select(c => c switch
            {
                { Name: "id", Type: "uuid" } when table == "events.mt_events" => "gen_random_uuid()",
                // Marten numbers events from its own sequence (the column has no default).
                { Name: "seq_id" } when table == "events.mt_events" => "nextval('events.mt_events_sequence')",
                { Name: "mt_version", Type: "uuid" } => "gen_random_uuid()",
                { Type: "uuid" } => $"case t.{c.Name} when '{templateId}' then m.a when '{clientId}' then m.c else t.{c.Name} end",
                { Type: "jsonb" or "json" } => $"{string.Format(CultureInfo.InvariantCulture, replace, $"t.{c.Name}::text")}::{c.Type}",
                { Type: "text" or "varchar" } => string.Format(CultureInfo.InvariantCulture, replace, $"t.{c.Name}"),
                _ => $"t.{c.Name}",
            });
            await ExecuteAsync(connection,
                $"insert into {table} ({string.Join(", ", names)}) select {string.Join(", ", values)} " +
                $"from {table} t cross join bench_clone m where t.{key} = '{templateId}'");
        }
        await transaction.CommitAsync(stop);
        foreach (var table in new[] { "events.mt_streams", "events.mt_events", "intake.mt_doc_intakeassignment" })
            await ExecuteAsync(connection, $"vacuum (analyze) {table}");
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private sealed record Column(string Name, string Type, bool Generated);

    private async Task<List<Column>> ColumnsAsync(NpgsqlConnection connection, string table)
    {
        var (schema, name) = (table.Split('.')[0], table.Split('.')[1]);
        await using var command = new NpgsqlCommand(
            "select column_name, udt_name, coalesce(column_default like 'nextval%', false) or is_identity = 'YES' or is_generated = 'ALWAYS' " +
            "from information_schema.columns where table_schema = @schema and table_name = @name order by ordinal_position", connection);
        command.Parameters.AddWithValue("schema", schema);
        command.Parameters.AddWithValue("name", name);
        var columns = new List<Column>();
        await using var reader = await command.ExecuteReaderAsync(stop);
        while (await reader.ReadAsync(stop)) columns.Add(new Column(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        return columns;
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
        await command.ExecuteNonQueryAsync(stop);
    }

    /// <summary>(c) then (b): see <see cref="WorkflowsAsync"/>.</summary>
    private async Task BulkAssignAndTimersAsync(JsonObject report)
    {
        var checkIn = await PublishWorkflowAsync(CheckInWorkflow);
        var clients = _clientIds.ToArray();
        Log($"workflows: assigning \"Weekly check-in\" to {clients.Length} clients (batches of 500, 4 in flight)");
        var latencies = new Latencies();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(clients.Chunk(500), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop },
            async (batch, _) =>
            {
                var sent = Stopwatch.GetTimestamp();
                await _api.JsonAsync(HttpMethod.Post, $"/api/workflows/{checkIn}/assignments", _provider, new { clientIds = batch });
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            });
        var accepted = watch.Elapsed.TotalSeconds;
        _scenarios.Add(latencies.Result($"Workflows: bulk assignment to {clients.Length} clients (POST of 500 ids)", accepted, "4 requests in flight"));
        Log($"workflows: {clients.Length} assignments accepted in {accepted:F1} s");
        report["bulkAssignment"] = new JsonObject
        {
            ["clients"] = clients.Length,
            ["allAcceptedSeconds"] = Math.Round(accepted, 2),
            ["runningAssignmentsInDatabase"] = await RunningAssignmentsAsync(),
        };
        AddTarget($"Workflows: bulk assignment of {clients.Length} clients", clients.Length >= 10_000 ? "≤ 20 s" : "≤ 20 s (at 10,000)",
            $"{accepted:F1} s", accepted <= 20 * clients.Length / 10_000.0 + 0.001);
        await DrainAsync("check-in assignments", TimeSpan.FromMinutes(15));

        // The timers the assignments armed (one TimersDue envelope per moment and 500 timers), moved to one moment.
        var moment = DateTimeOffset.UtcNow.AddSeconds(10);
        moment = new DateTimeOffset(moment.Ticks - moment.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var (envelopes, timers) = await MoveTimersAsync(moment);
        var expected = 2L * clients.Length;
        if (timers != expected)
            throw new InvalidOperationException($"workflows: {timers} timers armed one day ahead, expected {expected}");
        Log($"workflows: {timers} timers in {envelopes} envelopes moved to {moment:HH:mm:ss}; waiting for them to fire");

        const string counted =
            "select count(*), count(distinct (e.stream_id, e.type)), " +
            "coalesce(extract(epoch from max(e.timestamp) - @moment), -1) " +
            "from events.mt_events e join intake.mt_doc_intakeassignment a on a.id = e.stream_id " +
            "where e.type in ('assignment_reminder_sent', 'assignment_task_overdue') and a.data->>'DefinitionId' = @definition";
        (long Events, long Distinct, double LastSeconds) fired = default;
        var deadline = moment.AddSeconds(120);
        while (DateTimeOffset.UtcNow < deadline)
        {
            fired = await CountFiredAsync(counted, moment, checkIn);
            if (fired.Events >= expected) break;
            await Task.Delay(500, stop);
        }
        // Let redeliveries show themselves: a timer that fired twice would add an event now.
        await Task.Delay(TimeSpan.FromSeconds(5), stop);
        fired = await CountFiredAsync(counted, moment, checkIn);
        Log($"workflows: {fired.Events} of {expected} timers fired ({fired.Distinct} distinct), the last {fired.LastSeconds:F1} s after their moment");
        report["timers"] = new JsonObject
        {
            ["timers"] = expected,
            ["envelopes"] = envelopes,
            ["how"] = "a reminder and an overdue mark per check-in assignment, armed by the bulk assignment one day ahead (TimersDue " +
                      "envelopes); their moment moved in wolverine_incoming_envelopes (execution_time and the body's times) to " +
                      "one second 10 s ahead",
            ["fired"] = fired.Events,
            ["distinct"] = fired.Distinct,
            ["lastFiredSecondsAfterMoment"] = Math.Round(fired.LastSeconds, 2),
        };
        AddTarget($"Workflows: {expected} timers due at the same moment", "all fire within 60 s, each once",
            $"{fired.Events} fired ({fired.Distinct} distinct), the last after {fired.LastSeconds:F1} s",
            fired.Events == expected && fired.Distinct == expected && fired.LastSeconds is >= 0 and <= 60);
    }

    private async Task<(long, long, double)> CountFiredAsync(string sql, DateTimeOffset moment, Guid definition)
    {
        await using var connection = Connect();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("moment", moment);
        command.Parameters.AddWithValue("definition", definition.ToString());
        await using var reader = await command.ExecuteReaderAsync(stop);
        await reader.ReadAsync(stop);
        return (reader.GetInt64(0), reader.GetInt64(1), Convert.ToDouble(reader.GetValue(2), CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Every scheduled TimersDue envelope due 23 to 25 hours from now (the check-in's) set to <paramref name="moment"/>:
    /// its execution time, and in its body each time the timers carry (the handlers wait for them).
    /// </summary>
    private async Task<(int Envelopes, int Timers)> MoveTimersAsync(DateTimeOffset moment)
    {
        await using var connection = Connect();
        var found = new List<(Guid Id, byte[] Body)>();
        await using (var read = new NpgsqlCommand(
            "select id, body from wolverine.wolverine_incoming_envelopes " +
            "where status = 'Scheduled' and message_type ilike '%timersdue%' " +
            "and execution_time between now() + interval '23 hours' and now() + interval '25 hours'", connection))
        await using (var reader = await read.ExecuteReaderAsync(stop))
            while (await reader.ReadAsync(stop)) found.Add((reader.GetGuid(0), reader.GetFieldValue<byte[]>(1)));

        // The body is Wolverine's binary envelope around the message's JSON: the moment's text is replaced in place by
        // one of the same length (the new date and time, the old fraction of a second), so no length in it changes.
        var timers = 0;
        var newPrefix = moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        foreach (var (id, body) in found)
        {
            var text = System.Text.Encoding.Latin1.GetString(body);
            var at = System.Text.RegularExpressions.Regex.Match(text, "\"at\"\\s*:\\s*\"([^\"]+)\"",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (!at.Success || at.Groups[1].Value.Length < 19)
                throw new InvalidOperationException($"workflows: no moment found in the TimersDue envelope {id}");
            var from = at.Groups[1].Value;
            var to = newPrefix + from[19..];
            timers += System.Text.RegularExpressions.Regex.Matches(text, "\"taskid\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Count;
            var moved = System.Text.Encoding.Latin1.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
            await using var update = new NpgsqlCommand(
                "update wolverine.wolverine_incoming_envelopes set execution_time = @at, body = @body where id = @id", connection);
            update.Parameters.AddWithValue("at", moment);
            update.Parameters.AddWithValue("body", moved);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(stop);
        }
        return (found.Count, timers);
    }
}
