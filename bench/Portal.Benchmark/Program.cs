using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Portal.Benchmark;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Bench.Log("interrupted: stopping the host and cleaning up");
            stop.Cancel();
        };
        // scripts/bench.sh forwards SIGTERM (and its own Ctrl-C) here: stop the host and end, like Ctrl-C.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Bench.Log("terminated: stopping the host and cleaning up");
            stop.Cancel();
        });
        try
        {
            await new Bench(options, stop.Token).RunAsync();
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
    }
}

/// <summary>The benchmark run: seed, scenarios, the database's own limit, the report.</summary>
internal sealed partial class Bench(Options options, CancellationToken stop)
{
    public const string SupportEmail = "support@bench.portal";
    public const string Password = "Bench-Portal-Password-2026";

    /// <summary>The base32 key of support's authenticator app, set on the host (staff sign in with a second factor).</summary>
    public const string SupportAuthenticatorKey = "PORTALBENCHSUPPORTKEYPORTALBENCH";
    public const string ProviderEmail = "provider@bench.portal";

    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly JsonObject _report = new();
    private readonly List<ScenarioResult> _scenarios = [];
    private readonly List<Target> _targets = [];
    private readonly string _workDirectory = Path.GetDirectoryName(Path.GetFullPath(options.App))!;
    private readonly string _url = $"http://127.0.0.1:{MailSink.FreePort()}";
    private MailSink _mail = null!;
    private Api _api = null!;
    private string _provider = "";
    private Guid _providerId;
    private readonly List<Guid> _clientIds = [];
    private readonly List<BenchClient> _signedIn = [];

    public static void Log(string message) =>
        Console.Error.WriteLine($"bench [{Clock.Elapsed.TotalSeconds,6:F1}s] {message}");

    private sealed record BenchClient(Guid ClientId, string Email, string Name, string Cookie)
    {
        public long InsuranceVersion { get; set; }
    }

    private sealed record Target(string What, string Goal, string Measured, bool Met);

    public async Task RunAsync()
    {
        var started = DateTimeOffset.UtcNow;
        _report["startedAt"] = started.ToString("O");
        _report["machine"] = Machine();
        _report["conditions"] = options.Conditions.Length > 0 ? options.Conditions : "not stated (pass --conditions \"...\")";
        _report["settings"] = new JsonObject
        {
            ["clients"] = options.ClientCount,
            ["quick"] = options.Quick,
            ["runningAssignmentsForWorkflows"] = options.Running,
            ["secondsPerLoadScenario"] = options.Seconds,
            ["concurrentSignedInClients"] = options.Concurrency,
            ["only"] = options.Only.Count == 0 ? "all scenarios" : string.Join(",", options.Only.Order()),
            ["postgres"] = "private cluster: fsync=on, synchronous_commit=on, shared_buffers=512MB, max_connections=200, pg_stat_statements",
            ["host"] = "dotnet publish -c Release -r linux-x64 -p:PublishReadyToRun=true (Wolverine, Marten, Npgsql, JasperFx, Weasel) " +
                       "after codegen write; ASPNETCORE_ENVIRONMENT=Production, Portal__TypeLoadMode=Static; " +
                       "GC settings from the host's runtimeconfig (workstation, non-concurrent), as in the Dockerfile",
        };

        await using var mail = _mail = new MailSink();
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        }) { BaseAddress = new Uri(_url), Timeout = TimeSpan.FromSeconds(120) };
        _api = new Api(http);

        // First start: empty database, the schema is created.
        var firstStart = await StartHostAsync("first start (creates the schema)");
        try
        {
            await SeedAsync();
            if (options.Runs("assign")) await AssignToAllAsync(firstStart);
            _report["memoryDuringSeedAndAssignMb"] = Mb(Math.Max(firstStart.PeakKb, firstStart.PeakSampledKb));
        }
        finally
        {
            await firstStart.DisposeAsync();
        }

        // Cold start with the volume in place, then the load scenarios on that process.
        var host = await ColdStartAsync();
        try
        {
            host.ResetPeak();
            if (options.Runs("clientlist")) await ClientListAsync();
            if (options.Runs("completions")) await CompletionsAsync(host);
            if (options.Runs("smtp")) await CompletionToSmtpAsync();
            if (options.Runs("practice")) await PracticeCaseloadAsync();
            if (options.Runs("workflows")) await WorkflowsAsync(host);
            var peak = Math.Max(host.PeakKb, host.PeakSampledKb);
            _report["peakMemoryUnderLoadMb"] = Mb(peak);
            AddTarget("Peak memory of the host under load", "≤ 300 MB", $"{Mb(peak)} MB", Mb(peak) <= 300);
        }
        finally
        {
            await host.DisposeAsync();
        }

        // The database's own limit, with the host stopped.
        if (options.Runs("limit"))
        {
            await PgBenchAsync();
            await RawNpgsqlAsync();
            Ratios();
        }

        _report["finishedAt"] = DateTimeOffset.UtcNow.ToString("O");
        _report["durationSeconds"] = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1);
        ((JsonObject)_report["machine"]!)["loadAverageAtEnd"] = LoadAverage();
        _report["scenarios"] = JsonSerializer.SerializeToNode(_scenarios, JsonOptions);
        _report["targets"] = JsonSerializer.SerializeToNode(_targets, JsonOptions);
        await WriteReportAsync(started);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // ---------------------------------------------------------------------------------------------------------------
    // Host

    private async Task<HostProcess> StartHostAsync(string what)
    {
        Log($"starting the host ({what}) on {_url}");
        var host = HostProcess.Start(options, _url, _mail.Port, Path.Combine(_workDirectory, "host.log"));
        var ready = await WaitUntilAsync(async () =>
        {
            if (host.HasExited) throw new InvalidOperationException($"the host exited at start; see {Path.Combine(_workDirectory, "host.log")}");
            using var response = await _api.SendAsync(HttpMethod.Get, "/health/ready", null, cancellation: stop);
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(120));
        Log($"host ready after {ready.TotalSeconds:F2} s");
        _report[what.StartsWith("first", StringComparison.Ordinal) ? "firstStartSeconds" : "restartReadySeconds"] = Math.Round(ready.TotalSeconds, 3);
        return host;
    }

    private const int ColdStarts = 3;

    /// <summary>
    /// Starts a new host process on the seeded database <see cref="ColdStarts"/> times (the last one stays up for the
    /// load scenarios) and reports the median time to the first successful request, with every start listed. Before
    /// the starts the database is let settle (a checkpoint, autovacuum of the seeding and assignment finished), so the
    /// number is the host's start, not the database's housekeeping after 10,000 assignments.
    /// </summary>
    private async Task<HostProcess> ColdStartAsync()
    {
        var settled = await SettleDatabaseAsync();
        var starts = new List<double>();
        HostProcess? host = null;
        TimeSpan firstList = default;
        for (var i = 1; i <= ColdStarts; i++)
        {
            if (host is not null) await host.DisposeAsync();
            Log($"cold start {i} of {ColdStarts}: a new host process on the seeded database");
            host = HostProcess.Start(options, _url, _mail.Port, Path.Combine(_workDirectory, "host.log"));
            var running = host;
            var firstOk = await WaitUntilAsync(async () =>
            {
                if (running.HasExited) throw new InvalidOperationException("the host exited at start");
                using var response = await _api.SendAsync(HttpMethod.Get, "/api/account/me", _provider, cancellation: stop);
                return response.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(120), pollMilliseconds: 10);
            var toList = Stopwatch.StartNew();
            using (var list = await _api.SendAsync(HttpMethod.Get, ClientListFirstPage, _provider, cancellation: stop))
                list.EnsureSuccessStatusCode();
            firstList = toList.Elapsed;
            starts.Add(Math.Round(firstOk.TotalSeconds, 3));
            Log($"cold start {i}: first successful request after {firstOk.TotalSeconds:F2} s; " +
                $"first client list {firstList.TotalMilliseconds:F0} ms later");
        }

        var median = starts.Order().ElementAt(starts.Count / 2);
        _report["coldStart"] = new JsonObject
        {
            ["processStartToFirstSuccessfulRequestSeconds"] = median,
            ["statistic"] = $"median of {ColdStarts} starts",
            ["starts"] = new JsonArray([.. starts.Select(s => JsonValue.Create(s))]),
            ["databaseSettledSeconds"] = Math.Round(settled.TotalSeconds, 1),
            ["firstRequest"] = "GET /api/account/me as the signed-in provider",
            ["thenFirstClientListMs"] = Math.Round(firstList.TotalMilliseconds, 1),
            ["rssAfterStartMb"] = Mb(host!.CurrentKb),
        };
        if (options.Runs("coldstart"))
            AddTarget("Cold start to first successful request", "≤ 2 s",
                $"{median:F2} s (median of {string.Join(" / ", starts.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))})", median <= 2);
        return host;
    }

    /// <summary>A checkpoint, then waits (at most a minute) until no autovacuum worker runs.</summary>
    private async Task<TimeSpan> SettleDatabaseAsync()
    {
        var watch = Stopwatch.StartNew();
        await ScalarAsync("checkpoint");
        while (watch.Elapsed < TimeSpan.FromMinutes(1)
               && await ScalarAsync("select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'") > 0)
            await Task.Delay(500, stop);
        Log($"database settled for the cold start after {watch.Elapsed.TotalSeconds:F1} s (checkpoint, autovacuum finished)");
        return watch.Elapsed;
    }

    private async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMilliseconds = 50)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                if (await condition()) return watch.Elapsed;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(pollMilliseconds, stop);
        }
        throw new TimeoutException($"gave up after {timeout.TotalSeconds:F0} s");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Database helpers

    private NpgsqlConnection Connect()
    {
        var connection = new NpgsqlConnection(options.Connection);
        connection.Open();
        return connection;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = Connect();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync(stop);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until the durable inbox holds no message waiting to be handled (scheduled ones excepted).</summary>
    private async Task<TimeSpan> DrainAsync(string what, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var quiet = 0;
        while (watch.Elapsed < timeout)
        {
            // exists + Wolverine's partial indexes (owner_id = 0 / <> 0): a count(*) over the inbox, which keeps
            // handled envelopes for a while, took ~180 ms a poll at 10,000 clients and loaded the database under test.
            var waiting = await ScalarAsync(
                "select (exists (select 1 from wolverine.wolverine_incoming_envelopes where status = 'Incoming' and owner_id = 0)" +
                " or exists (select 1 from wolverine.wolverine_incoming_envelopes where owner_id <> 0 and status = 'Incoming')" +
                " or exists (select 1 from wolverine.wolverine_outgoing_envelopes))::int");
            quiet = waiting == 0 ? quiet + 1 : 0;
            if (quiet >= 2) return watch.Elapsed;
            await Task.Delay(250, stop);
        }
        throw new TimeoutException($"{what}: messages still waiting after {timeout.TotalSeconds:F0} s");
    }

    private static double Mb(long kb) => Math.Round(kb / 1024.0, 1);

    private void AddTarget(string what, string goal, string measured, bool met) => _targets.Add(new Target(what, goal, measured, met));

    private static JsonObject Machine()
    {
        var memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) ?? "";
        var cpu = File.ReadLines("/proc/cpuinfo")
            .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
            .Split(':', 2)[1].Trim() ?? "unknown";
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = cpu,
            ["memory"] = memory.Replace("MemTotal:", "", StringComparison.Ordinal).Trim(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["dotnet"] = Environment.Version.ToString(),
            ["loadAverageAtStart"] = LoadAverage(),
        };
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
}
