using System.Globalization;

namespace Portal.Benchmark;

/// <summary>Command-line options (scripts/bench.sh passes the infrastructure ones).</summary>
internal sealed class Options
{
    public string App { get; private set; } = "";
    public string Connection { get; private set; } = "";
    public string PgBin { get; private set; } = "/usr/lib/postgresql/15/bin";
    public int PgPort { get; private set; }
    public string? HostPidFile { get; private set; }
    public string LuaDirectory { get; private set; } = "bench/wrk";
    public string ResultsDirectory { get; private set; } = "bench/results";
    public string? Out { get; private set; }
    public bool Quick { get; private set; }
    public int Clients { get; private set; } = -1;
    public int Duration { get; private set; } = -1;
    public int WarmUp { get; private set; } = -1;
    public int Concurrency { get; private set; } = 32;
    public string Conditions { get; private set; } = "";

    /// <summary>The running assignments in the database for the workflows scenario's second measure (the first has 1,000).</summary>
    public int Running { get; private set; } = 100_000;

    /// <summary>The scenarios --only names (all when empty): assign, clientlist, completions, smtp, coldstart, limit, practice, workflows.</summary>
    public IReadOnlySet<string> Only { get; private set; } = new HashSet<string>();

    public static readonly string[] ScenarioNames = ["assign", "clientlist", "completions", "smtp", "coldstart", "limit", "practice", "workflows"];

    public bool Runs(string scenario) => Only.Count == 0 || Only.Contains(scenario);

    /// <summary>Seconds each load scenario runs (after its warm-up).</summary>
    public int Seconds => Duration > 0 ? Duration : Quick ? 5 : 30;

    /// <summary>
    /// Seconds of flat-out completions before their window is measured: long enough for the tiered JIT to finish
    /// (a freshly started host spent a quarter of its CPU compiling and in PGO instrumentation for the first ~30 s of this
    /// load), so the window measures the portal, not the JIT; the cold start is a scenario of its own.
    /// </summary>
    public int CompletionWarmUp => WarmUp >= 0 ? WarmUp : Quick ? 2 : 45;

    public int ClientCount => Clients > 0 ? Clients : Quick ? 500 : 10_000;

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--app": options.App = Next(); break;
                case "--conn": options.Connection = Next(); break;
                case "--pgbin": options.PgBin = Next(); break;
                case "--pg-port": options.PgPort = NextInt(); break;
                case "--host-pidfile": options.HostPidFile = Next(); break;
                case "--lua": options.LuaDirectory = Next(); break;
                case "--results": options.ResultsDirectory = Next(); break;
                case "--out": options.Out = Next(); break;
                case "--quick": options.Quick = true; break;
                case "--clients": options.Clients = NextInt(); break;
                case "--duration": options.Duration = NextInt(); break;
                case "--warmup": options.WarmUp = NextInt(); break;
                case "--concurrency": options.Concurrency = NextInt(); break;
                case "--conditions": options.Conditions = Next(); break;
                case "--running": options.Running = NextInt(); break;
                case "--only":
                    var only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(n => n.ToLowerInvariant()).ToHashSet();
                    if (only.FirstOrDefault(n => !ScenarioNames.Contains(n)) is { } unknown)
                        throw new ArgumentException($"--only: unknown scenario {unknown} (one or more of {string.Join(",", ScenarioNames)})");
                    options.Only = only;
                    break;
                default: throw new ArgumentException($"unknown option {args[i]} (see ./portal bench --help)");
            }
        }
        if (options.App.Length == 0 || options.Connection.Length == 0)
            throw new ArgumentException("--app and --conn are required (run ./portal bench)");
        return options;
    }
}
