using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;

namespace Portal.Benchmark;

internal sealed partial class Bench
{
    private double _pgbenchTps;
    private double _rawTps;

    /// <summary>pgbench's TPC-B-like run against the same server (host stopped), as many clients as the completions.</summary>
    private async Task PgBenchAsync()
    {
        var scale = options.Quick ? 10 : 32;
        var common = new[] { "-h", "127.0.0.1", "-p", options.PgPort.ToString(CultureInfo.InvariantCulture), "-U", "portal" };
        Log($"pgbench: initialise scale {scale}");
        await RunAsync(
            Path.Combine(options.PgBin, "pgbench"), [.. common, "-i", "-q", "-s", scale.ToString(CultureInfo.InvariantCulture), "pgbench"]);
        Log($"pgbench: TPC-B-like, {options.Concurrency} clients, 2 threads, {options.Seconds} s");
        var output = await RunAsync(Path.Combine(options.PgBin, "pgbench"),
            [.. common, "-c", options.Concurrency.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", options.Seconds.ToString(CultureInfo.InvariantCulture), "pgbench"]);
        _pgbenchTps = double.Parse(TpsPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var latency = LatencyPattern().Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        Log($"  {_pgbenchTps:F0} tps, average latency {latency} ms");
        _report["pgbench"] = new JsonObject
        {
            ["scale"] = scale,
            ["clients"] = options.Concurrency,
            ["threads"] = 2,
            ["seconds"] = options.Seconds,
            ["tps"] = Math.Round(_pgbenchTps, 1),
            ["averageLatencyMs"] = latency,
        };
    }

    /// <summary>
    /// What a task completion writes, without the framework: one transaction per completion with the event append
    /// (stream version bump + event row) and the outbox row (a durable local envelope), from as many connections as
    /// signed-in clients, into copies of the real tables (same columns and indexes).
    /// </summary>
    private async Task RawNpgsqlAsync()
    {
        await using (var setup = Connect())
        {
            await using var command = new NpgsqlCommand("""
                drop schema if exists bench_raw cascade;
                create schema bench_raw;
                create table bench_raw.mt_streams (like events.mt_streams including all);
                create table bench_raw.mt_events (like events.mt_events including all);
                create table bench_raw.wolverine_incoming_envelopes (like wolverine.wolverine_incoming_envelopes including all);
                create sequence bench_raw.mt_events_sequence;
                """, setup);
            await command.ExecuteNonQueryAsync(stop);
        }

        Log($"raw Npgsql: {options.Concurrency} connections, " +
            $"one transaction per completion (stream version, event row, outbox row), {options.Seconds} s");
        var latencies = new Latencies();
        var body = Encoding.UTF8.GetBytes(new string('x', 600));
        var data = JsonSerializer.Serialize(new
        {
            rank = "Primary",
            details = new { payerId = "aetna", payerName = "Aetna", planName = "Open Access", memberId = "W123456789", groupNumber = "GRP-100" },
            actor = new { kind = "Client", id = Guid.NewGuid() },
            at = DateTimeOffset.UtcNow,
        });
        var warmUntil = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        var until = warmUntil + (long)(options.Seconds * Stopwatch.Frequency);
        await Parallel.ForAsync(0, options.Concurrency,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = stop }, async (_, _) =>
        {
            await using var connection = Connect();
            var streamId = Guid.CreateVersion7();
            await using (var create = new NpgsqlCommand(
                "insert into bench_raw.mt_streams (id, type, version) values ($1, 'client_insurance', 0)", connection))
            {
                create.Parameters.Add(new NpgsqlParameter { Value = streamId });
                await create.ExecuteNonQueryAsync(stop);
            }
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                await using var transaction = await connection.BeginTransactionAsync(stop);
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand(
                            "update bench_raw.mt_streams set version = version + 1, timestamp = now() where id = $1 returning version")
                        {
                            Parameters = { new NpgsqlParameter { Value = streamId } },
                        },
                        new NpgsqlBatchCommand(
                            "insert into bench_raw.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) " +
                            "values (nextval('bench_raw.mt_events_sequence'), $1, $2, " +
                            "(select version from bench_raw.mt_streams where id = $2), $3::jsonb, 'plan_updated', now(), '*DEFAULT*', " +
                            "'Portal.Insurance.Plans.PlanUpdated, Portal.Insurance')")
                        {
                            Parameters =
                            {
                                new NpgsqlParameter { Value = Guid.CreateVersion7() },
                                new NpgsqlParameter { Value = streamId },
                                new NpgsqlParameter { Value = data },
                            },
                        },
                        new NpgsqlBatchCommand(
                            "insert into bench_raw.wolverine_incoming_envelopes " +
                            "(id, status, owner_id, execution_time, attempts, body, message_type, received_at, keep_until) " +
                            "values ($1, 'Incoming', 0, null, 0, $2, 'Portal.Contracts.InsuranceChanged', 'local://notifications/', null)")
                        {
                            Parameters =
                            {
                                new NpgsqlParameter { Value = Guid.CreateVersion7() },
                                new NpgsqlParameter { Value = body },
                            },
                        },
                    },
                };
                await batch.ExecuteNonQueryAsync(stop);
                await transaction.CommitAsync(stop);
                if (started >= warmUntil) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        var result = latencies.Result("Raw Npgsql: event append + outbox row per transaction", options.Seconds, $"{options.Concurrency} connections");
        _rawTps = result.PerSecond;
        _scenarios.Add(result);
        Log($"  {result.PerSecond} tx/s, p50 {result.P50Ms} ms, p99 {result.P99Ms} ms");
        await using (var teardown = Connect())
        {
            await using var command = new NpgsqlCommand("drop schema bench_raw cascade", teardown);
            await command.ExecuteNonQueryAsync(stop);
        }
    }

    private void Ratios()
    {
        var pg = _pgbenchTps > 0 ? Math.Round(_completionsPerSecond / _pgbenchTps, 3) : 0;
        var raw = _rawTps > 0 ? Math.Round(_completionsPerSecond / _rawTps, 3) : 0;
        _report["ratios"] = new JsonObject
        {
            ["completionsPerSecond"] = _completionsPerSecond,
            ["pgbenchTps"] = Math.Round(_pgbenchTps, 1),
            ["rawNpgsqlTps"] = _rawTps,
            ["completionsToPgbench"] = pg,
            ["completionsToRawNpgsql"] = raw,
            ["sustainedCompletionsPerSecond"] = _sustainedCompletionsPerSecond,
            ["sustainedCompletionsToPgbench"] = _pgbenchTps > 0 ? Math.Round(_sustainedCompletionsPerSecond / _pgbenchTps, 3) : 0,
        };
        AddTarget("Task completions/s ÷ pgbench TPC-B tps", "≥ 0.5",
            $"{pg:F2} ({_completionsPerSecond:F0} / {_pgbenchTps:F0}); sustained, until all they caused was handled: " +
            $"{(_pgbenchTps > 0 ? _sustainedCompletionsPerSecond / _pgbenchTps : 0):F2} ({_sustainedCompletionsPerSecond:F0}/s)",
            pg >= 0.5);
    }

    private async Task<string> RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        await using var registration = stop.Register(() => process.Kill());
        var output = process.StandardOutput.ReadToEndAsync(stop);
        var error = process.StandardError.ReadToEndAsync(stop);
        await process.WaitForExitAsync(stop);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {await error}");
        return await output + await error;
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyPattern();

    // ---------------------------------------------------------------------------------------------------------------
    // The report

    private async Task WriteReportAsync(DateTimeOffset started)
    {
        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"## Portal benchmark, {started:yyyy-MM-dd HH:mm} UTC, {options.ClientCount} clients{(options.Quick ? " (quick)" : "")}");
        markdown.AppendLine();
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {_report["machine"]!["cores"]} cores, {_report["machine"]!["cpu"]}; " +
            $"load average at start {_report["machine"]!["loadAverageAtStart"]}, at end {_report["machine"]!["loadAverageAtEnd"]}. " +
            $"Conditions: {_report["conditions"]}");
        markdown.AppendLine();
        markdown.AppendLine("| scenario | load | requests | per second | p50 ms | p95 ms | p99 ms | max ms | errors |");
        markdown.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in _scenarios)
            markdown.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.Load} | {s.Requests} | {s.PerSecond} | {s.P50Ms} | {s.P95Ms} | {s.P99Ms} | {s.MaxMs} | {s.Errors} |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| pgbench TPC-B-like (scale {_report["pgbench"]?["scale"]}) | {options.Concurrency} clients | | {_pgbenchTps:F1} | | | | | |");
        markdown.AppendLine();
        markdown.AppendLine("| other measurement | value |");
        markdown.AppendLine("|---|---|");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| seeding {options.ClientCount} clients through the API | {_report["seed"]?["clientsAddedSeconds"]} s " +
            $"({_report["seed"]?["clientsPerSecond"]}/s), roster copies settled {_report["seed"]?["rosterCopiesSettledSeconds"]} s later |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| assign one workflow to {options.ClientCount} clients | " +
            $"first tasks requested (all accepted) {_report["assignToAll"]?["allAcceptedSeconds"]} s; " +
            $"every TaskRequested handled and every email at SMTP {_report["assignToAll"]?["everyTaskRequestedHandledSeconds"]} s " +
            $"({_report["assignToAll"]?["emailsHandedToSmtp"]} emails to {_report["assignToAll"]?["emailRecipients"]} recipients); " +
            $"host peak RSS {_report["assignToAll"]?["hostPeakRssMb"]} MB |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| first start on an empty database (schema created) | {_report["firstStartSeconds"]} s to /health/ready |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| cold start to first successful request (median of the starts; database settled first) | " +
            $"{_report["coldStart"]?["processStartToFirstSuccessfulRequestSeconds"]} s ({_report["coldStart"]?["starts"]?.ToJsonString()} s) |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| host peak RSS under load (list, completions, emails) | {_report["peakMemoryUnderLoadMb"]} MB " +
            $"(during seeding and the assignment: {_report["memoryDuringSeedAndAssignMb"]} MB) |");
        markdown.AppendLine(CultureInfo.InvariantCulture,
            $"| task completions/s ÷ pgbench tps; ÷ raw Npgsql tx/s | " +
            $"{_report["ratios"]?["completionsToPgbench"]}; {_report["ratios"]?["completionsToRawNpgsql"]} |");
        markdown.AppendLine();
        markdown.AppendLine("| target | goal | measured | met |");
        markdown.AppendLine("|---|---|---|---|");
        foreach (var t in _targets)
            markdown.AppendLine(CultureInfo.InvariantCulture, $"| {t.What} | {t.Goal} | {t.Measured} | {(t.Met ? "yes" : "**no**")} |");

        Directory.CreateDirectory(options.ResultsDirectory);
        var path = options.Out ?? Path.Combine(options.ResultsDirectory,
            $"bench-{started:yyyyMMdd-HHmmss}-{options.ClientCount}{(options.Quick ? "-quick" : "")}" +
            $"{(options.Only.Count > 0 ? "-only-" + string.Join("-", options.Only.Order()) : "")}.json");
        _report["markdown"] = markdown.ToString();
        await File.WriteAllTextAsync(path, _report.ToJsonString(JsonOptions) + "\n", stop);
        Console.WriteLine(markdown.ToString());
        Console.WriteLine($"Results: {path}");
    }
}
