using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace Portal.Benchmark;

/// <summary>
/// Where the CPU time of a measured window goes: the host process, the bench cluster's PostgreSQL (its postmaster and
/// every backend), this benchmark program, and the rest of the machine (from /proc, in the kernel's clock ticks).
/// </summary>
internal sealed class CpuSplit
{
    /// <summary>
    /// The length of one /proc clock tick (USER_HZ, sysconf(_SC_CLK_TCK)): 10 ms on most kernels, read rather than
    /// assumed, since every figure here is a count of them.
    /// </summary>
    public static readonly double TickMs = 1000.0 / ClockTicksPerSecond();

    private static long ClockTicksPerSecond()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    private readonly int _hostPid;
    private readonly int _postmasterPid;
    private readonly long _hostStart;
    private readonly long _postgresStart;
    private readonly long _selfStart;
    private readonly (long Busy, long Total) _machineStart;

    private CpuSplit(int hostPid, int postmasterPid)
    {
        _hostPid = hostPid;
        _postmasterPid = postmasterPid;
        _hostStart = Ticks(hostPid, children: false);
        _postgresStart = PostgresTicks();
        _selfStart = Ticks(Environment.ProcessId, children: false);
        _machineStart = Machine();
    }

    public static async Task<CpuSplit> StartAsync(int hostPid, Func<NpgsqlConnection> connect)
    {
        await using var connection = connect();
        await using var command = new NpgsqlCommand("select pg_backend_pid()", connection);
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var postmaster = File.ReadLines($"/proc/{backend}/status")
            .First(l => l.StartsWith("PPid:", StringComparison.Ordinal))["PPid:".Length..]
            .Trim();
        return new CpuSplit(hostPid, int.Parse(postmaster, CultureInfo.InvariantCulture));
    }

    /// <summary>The CPU split of the window, and per unit of work (ms of CPU per completion, say) when given.</summary>
    public JsonObject Stop(double seconds, int units = 0, string unit = "completion")
    {
        var host = (Ticks(_hostPid, children: false) - _hostStart) * TickMs;
        var postgres = (PostgresTicks() - _postgresStart) * TickMs;
        var self = (Ticks(Environment.ProcessId, children: false) - _selfStart) * TickMs;
        var (busy, total) = Machine();
        var cores = Environment.ProcessorCount;
        var machineBusy = (busy - _machineStart.Busy) * TickMs;
        var machineTotal = (total - _machineStart.Total) * TickMs;
        double Share(double ms) => Math.Round(ms / (seconds * 1000 * cores), 3);
        var split = new JsonObject
        {
            ["seconds"] = Math.Round(seconds, 2),
            ["cores"] = cores,
            ["note"] = "share of all cores over the window (1.0 = every core busy the whole time)",
            ["tickMs"] = TickMs,
            ["hostCpuMs"] = host,
            ["postgresCpuMs"] = postgres,
            ["host"] = Share(host),
            ["postgres"] = Share(postgres),
            ["benchmarkClient"] = Share(self),
            ["restOfMachine"] = Share(Math.Max(0, machineBusy - host - postgres - self)),
            ["idle"] = Math.Round(machineTotal <= 0 ? 0 : 1 - machineBusy / machineTotal, 3),
        };
        if (units > 0)
        {
            split[$"hostCpuMsPer{Capitalized(unit)}"] = Math.Round(host / units, 2);
            split[$"postgresCpuMsPer{Capitalized(unit)}"] = Math.Round(postgres / units, 2);
            Bench.Log($"  CPU per {unit}: host {split[$"hostCpuMsPer{Capitalized(unit)}"]} ms, " +
                $"PostgreSQL {split[$"postgresCpuMsPer{Capitalized(unit)}"]} ms");
        }
        Bench.Log($"  CPU over the window: host {split["host"]}, PostgreSQL {split["postgres"]}, " +
            $"benchmark {split["benchmarkClient"]}, rest {split["restOfMachine"]}, idle {split["idle"]}");
        return split;
    }

    private static string Capitalized(string word) => string.Concat(char.ToUpperInvariant(word[0]).ToString(), word[1..]);

    private long PostgresTicks()
    {
        // The postmaster's own time and its ended children's, plus every living backend's.
        var total = Ticks(_postmasterPid, children: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var status = File.ReadLines($"{directory}/status").FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
                if (status is not null && status["PPid:".Length..].Trim() == _postmasterPid.ToString(CultureInfo.InvariantCulture))
                    total += Ticks(pid, children: false);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return total;
    }

    private static long Ticks(int pid, bool children)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After the command name in parentheses: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture);
            return Field(14) + Field(15) + (children ? Field(16) + Field(17) : 0);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static (long Busy, long Total) Machine()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }
}
