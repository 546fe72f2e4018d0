using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Reliability;

/// <summary>
/// The built host (src/Host/bin/&lt;configuration&gt;/net10.0/Portal.Host.dll) run by <c>dotnet</c> as a separate OS
/// process on a fixed loopback port, so it can be killed with SIGKILL and started again at the same address. Its
/// console output goes to TestResults/reliability/&lt;name&gt;.log (appended across restarts).
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly string _name;
    private readonly Dictionary<string, string> _settings;
    private readonly string _logPath;
    private readonly Lock _logLock = new();
    private readonly Queue<string> _tail = new();
    private Process? _process;

    public PortalProcess(
        string name, string environment, string connectionString, MailCapture mail, IReadOnlyDictionary<string, string>? settings = null)
    {
        _name = name;
        Port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{Port}/");
        _settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["ConnectionStrings__Portal"] = connectionString,
            ["Smtp__Host"] = mail.Host,
            ["Smtp__Port"] = mail.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__TlsMode"] = "None",
            ["Portal__Support__Email"] = SupportEmail,
            ["Portal__Support__Password"] = Actors.DefaultPassword,
            // Support is staff: it starts with this authenticator app, whose codes PortalApi types.
            ["Portal__Support__AuthenticatorKey"] = SupportAuthenticatorKey,
            // These hosts run as Production to test what Production does; they take no payments, so the sandbox is allowed.
            ["Payments__AllowSandboxInProduction"] = "true",
            ["Portal__PublicUrl"] = BaseAddress.ToString().TrimEnd('/'),
            // Every client of the suites signs in from 127.0.0.1.
            ["Portal__RateLimits__AccountRequestsPerMinute"] = "10000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        // CI compiles Wolverine's pre-generated code into the host (codegen write) and sets this to Static, as the
        // Docker image runs; otherwise the host generates its code at first use (Dynamic).
        if (Environment.GetEnvironmentVariable(TypeLoadModeVariable) is { Length: > 0 } mode) _settings["Portal__TypeLoadMode"] = mode;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
        var folder = Path.Combine(TestDatabase.RepositoryRoot, "TestResults", "reliability");
        Directory.CreateDirectory(folder);
        _logPath = Path.Combine(folder, $"{name}.log");
        File.WriteAllText(_logPath, string.Empty);
    }

    public const string SupportEmail = "support@reliability.test";

    public const string SupportAuthenticatorKey = "RELIABILITYSUPPORTKEY234";

    public const string TypeLoadModeVariable = "PORTAL_HOST_TYPE_LOAD_MODE";

    public int Port { get; }

    public Uri BaseAddress { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>The time the last start took until /health/ready answered 200.</summary>
    public TimeSpan LastStartTime { get; private set; }

    public static string HostAssembly
    {
        get
        {
            // tests/Portal.Tests/bin/<configuration>/net10.0/ -> src/Host/bin/<configuration>/net10.0/Portal.Host.dll
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = output.Parent!.Name;
            var path = Path.Combine(TestDatabase.RepositoryRoot, "src", "Host", "bin", configuration, output.Name, "Portal.Host.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The host is not built at {path}.", path);
        }
    }

    /// <summary>Starts the process and waits until /health/ready answers 200.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        if (IsRunning) throw new InvalidOperationException($"{_name} is already running.");
        var started = Stopwatch.StartNew();
        var start = new ProcessStartInfo("dotnet", [HostAssembly, "--urls", BaseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = Path.GetDirectoryName(HostAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _settings) start.Environment[key] = value;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Log(e.Data);
        process.ErrorDataReceived += (_, e) => Log(e.Data);
        Log($"--- {_name}: start {Starts + 1} at {DateTimeOffset.UtcNow:O}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{_name} exited with {process.ExitCode} while starting:{Environment.NewLine}{Tail()}");
            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    LastStartTime = started.Elapsed;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{_name} was not ready after {started.Elapsed}:{Environment.NewLine}{Tail()}");
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything (no graceful shutdown, no flush).</summary>
    public void Kill()
    {
        if (_process is not { } process) return;
        if (!process.HasExited)
        {
            Log($"--- {_name}: SIGKILL at {DateTimeOffset.UtcNow:O}");
            process.Kill(entireProcessTree: false); // on Linux: kill(pid, SIGKILL)
            process.WaitForExit(10_000);
        }
        process.Dispose();
        _process = null;
    }

    public string Tail()
    {
        lock (_logLock) return string.Join(Environment.NewLine, _tail);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            _tail.Enqueue(line.Length > 2000 ? line[..2000] : line);
            while (_tail.Count > 40) _tail.Dequeue();
            File.AppendAllText(_logPath, line + Environment.NewLine);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
