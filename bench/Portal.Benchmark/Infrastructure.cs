using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Benchmark;

/// <summary>Latencies of one scenario in milliseconds; percentiles by nearest rank.</summary>
internal sealed class Latencies
{
    private readonly Lock _lock = new();
    private readonly List<double> _values = [];

    public int Errors { get; private set; }

    public int Count
    {
        get { lock (_lock) return _values.Count; }
    }

    public IReadOnlyList<double> Values
    {
        get { lock (_lock) return [.. _values]; }
    }

    public void Add(double milliseconds)
    {
        lock (_lock) _values.Add(milliseconds);
    }

    public void Error()
    {
        lock (_lock) Errors++;
    }

    public ScenarioResult Result(string name, double seconds, string load)
    {
        double[] sorted;
        lock (_lock) sorted = [.. _values.Order()];
        return new ScenarioResult(name, load, sorted.Length, Math.Round(seconds, 2), sorted.Length == 0 ? 0 : Math.Round(sorted.Length / seconds, 1),
            P(sorted, 50), P(sorted, 95), P(sorted, 99), sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2), Errors);
    }

    private static double P(double[] sorted, double percentile) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)], 2);
}

internal sealed record ScenarioResult(string Name, string Load, int Requests, double Seconds, double PerSecond, double P50Ms, double P95Ms,
    double P99Ms, double MaxMs, int Errors);

/// <summary>The HTTP API as a signed-in person uses it: the session cookie is carried by hand (it is Secure in Production).</summary>
internal sealed class Api(HttpClient http)
{
    public HttpClient Http => http;

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string url, string? cookie, object? body = null, CancellationToken cancellation = default)
    {
        using var request = new HttpRequestMessage(method, url);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await http.SendAsync(request, cancellation);
    }

    public async Task<JsonElement> JsonAsync(HttpMethod method, string url, string? cookie, object? body = null)
    {
        using var response = await SendAsync(method, url, cookie, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}: {Truncate(text)}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Signs in. Staff need a second factor: support's authenticator key is set on the host (<see cref="Bench.SupportAuthenticatorKey"/>),
    /// any other staff login sets up an authenticator app at its first sign-in, as a person would, and types its codes after.
    /// </summary>
    public async Task<string> SignInAsync(string email, string password)
    {
        for (var attempt = 0; ; attempt++)
        {
            var secret = _authenticators.GetValueOrDefault(email);
            // A code works once: each sign-in of the same login takes a later step (the host accepts one step ahead).
            var code = secret is null ? null : NextCode(email, secret);
            using var response = await SendAsync(HttpMethod.Post, "/api/account/sign-in", null, new { email, password, code });
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Unauthorized && secret is not null && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(10));
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"sign-in as {email} answered {(int)response.StatusCode}: {Truncate(text)}");
            var cookie = SessionCookie(response) ?? throw new InvalidOperationException($"sign-in as {email} gave no session cookie");
            var enrolmentNeeded = JsonDocument.Parse(text).RootElement.TryGetProperty("secondFactorRequired", out var required)
                && required.ValueKind == JsonValueKind.True;
            return enrolmentNeeded ? await EnrolAsync(email, cookie) : cookie;
        }
    }

    // Static: every Api of the run (a restarted host gets a new one) types codes from the same authenticator apps.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _authenticators =
        new(StringComparer.OrdinalIgnoreCase) { [Bench.SupportEmail] = Bench.SupportAuthenticatorKey };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _lastStep = new(StringComparer.OrdinalIgnoreCase);

    private static string NextCode(string email, string secret)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var step = _lastStep.AddOrUpdate(email, now, (_, last) => Math.Max(now, last + 1));
        return new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * 30).UtcDateTime);
    }

    /// <summary>Sets up an authenticator app through the endpoints; returns the cookie of the session that proved it.</summary>
    private async Task<string> EnrolAsync(string email, string cookie)
    {
        var secret = (await JsonAsync(HttpMethod.Post, "/api/account/authenticator", cookie)).GetProperty("secret").GetString()!;
        using var confirmed = await SendAsync(HttpMethod.Post, "/api/account/authenticator/confirm", cookie, new { code = NextCode(email, secret) });
        if (!confirmed.IsSuccessStatusCode)
            throw new InvalidOperationException($"authenticator set-up of {email} answered {(int)confirmed.StatusCode}");
        _authenticators[email] = secret;
        return SessionCookie(confirmed) ?? cookie;
    }

    private static string? SessionCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).LastOrDefault(v => v.StartsWith("portal.session=", StringComparison.Ordinal) && v.Length > 15)
            : null;

    private static string Truncate(string text) => text.Length > 300 ? text[..300] : text;
}

/// <summary>An SMTP server the host sends to: keeps, per message, the arrival time, recipients, subject and text body.</summary>
internal sealed class MailSink : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<Mail> _mails = [];
    private readonly SmtpServer.SmtpServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public MailSink()
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .MaxMessageSize(30 * 1024 * 1024)
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    public int Count
    {
        get { lock (_lock) return _mails.Count; }
    }

    public IReadOnlyList<Mail> Since(int index)
    {
        lock (_lock) return _mails.Skip(index).ToList();
    }

    public async Task<Mail> WaitForAsync(Func<Mail, bool> match, int fromIndex, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            lock (_lock)
            {
                for (var i = fromIndex; i < _mails.Count; i++)
                    if (match(_mails[i])) return _mails[i];
            }
            await Task.Delay(2);
        }
        throw new TimeoutException("The expected email did not arrive.");
    }

    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException)
        {
        }
        _stop.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal sealed record Mail(long ArrivedTicks, string[] To, string Subject, string Text);

    private sealed class Store(MailSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var arrived = Stopwatch.GetTimestamp();
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            var mail = new Mail(
                arrived, [.. message.To.Mailboxes.Select(m => m.Address.ToLowerInvariant())], message.Subject ?? "", message.TextBody ?? "");
            lock (sink._lock) sink._mails.Add(mail);
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>
/// The SMTP server's connections with Nagle's algorithm off, as mail servers have them. SmtpServer's own listener
/// leaves it on, and writes each reply to a pipelined MAIL/RCPT/DATA on its own: the second reply then waits for the
/// client's delayed ACK, 40 ms per email, which the benchmark measured as the host's sending time (45 ms per email
/// against this server, 0.5 ms with Nagle off on both ends).
/// </summary>
internal sealed class NoDelayListenerFactory : SmtpServer.Net.IEndpointListenerFactory
{
    public SmtpServer.Net.IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    private sealed class Listener(TcpListener listener) : SmtpServer.Net.IEndpointListener
    {
        public async Task<SmtpServer.IO.ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            context.Properties[SmtpServer.Net.EndpointListener.LocalEndPointKey] = listener.LocalEndpoint;
            context.Properties[SmtpServer.Net.EndpointListener.RemoteEndPointKey] = client.Client.RemoteEndPoint!;
            return new PlainPipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    /// <summary>A plain (no TLS) duplex pipe over the connection; the benchmark's server never offers STARTTLS.</summary>
    private sealed class PlainPipe(TcpClient client) : SmtpServer.IO.ISecurableDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input { get; } = System.IO.Pipelines.PipeReader.Create(client.GetStream());

        public System.IO.Pipelines.PipeWriter Output { get; } = System.IO.Pipelines.PipeWriter.Create(client.GetStream());

        public bool IsSecure => false;

        public System.Security.Authentication.SslProtocols SslProtocol => System.Security.Authentication.SslProtocols.None;

        public Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate,
            System.Security.Authentication.SslProtocols protocols, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark's SMTP server speaks plain SMTP only.");

        public void Dispose() => client.Dispose();
    }
}

/// <summary>The host process: published Portal.Host.dll in Production with pre-generated code; its resident memory from /proc.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly CancellationTokenSource _sampling = new();
    private readonly Task _sampler;

    private HostProcess(Process process, StreamWriter log, long startedTicks)
    {
        _process = process;
        _log = log;
        StartedTicks = startedTicks;
        _sampler = Task.Run(SampleAsync);
    }

    public long StartedTicks { get; }

    public int Pid => _process.Id;

    /// <summary>The highest VmRSS seen by sampling every 100 ms (kB).</summary>
    public long PeakSampledKb { get; private set; }

    public static HostProcess Start(Options options, string url, int smtpPort, string logPath)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = options.App,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(options.App, "Portal.Host.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Portal__TypeLoadMode"] = "Static";
        // As behind a TLS-terminating proxy: wrk's requests say X-Forwarded-Proto: https (bench/wrk/get.lua), so the
        // Secure-only antiforgery cookie of the console pages can be issued over the benchmark's plain HTTP.
        info.Environment["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true";
        info.Environment["ConnectionStrings__Portal"] = options.Connection;
        info.Environment["Smtp__Host"] = "127.0.0.1";
        info.Environment["Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["Portal__PublicUrl"] = url;
        info.Environment["Portal__Support__Email"] = Bench.SupportEmail;
        info.Environment["Portal__Support__Password"] = Bench.Password;
        info.Environment["Portal__Support__AuthenticatorKey"] = Bench.SupportAuthenticatorKey;
        info.Environment["Portal__DemoData"] = "false";
        // The benchmark signs in 32 clients and activates them from one address.
        info.Environment["Portal__RateLimits__AccountRequestsPerMinute"] = "100000";
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (options.HostPidFile is { } pidFile) File.WriteAllText(pidFile, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new HostProcess(process, log, started);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>VmHWM: the kernel's own peak resident set of the process (kB).</summary>
    public long PeakKb => ReadStatus("VmHWM:");

    public long CurrentKb => ReadStatus("VmRSS:");

    public void ResetPeak()
    {
        // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        PeakSampledKb = CurrentKb;
    }

    private long ReadStatus(string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(key, StringComparison.Ordinal))
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        return 0;
    }

    private async Task SampleAsync()
    {
        while (!_sampling.IsCancellationRequested)
        {
            var current = CurrentKb;
            if (current > PeakSampledKb) PeakSampledKb = current;
            try
            {
                await Task.Delay(100, _sampling.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sampling.CancelAsync();
        if (!_process.HasExited)
        {
            // SIGTERM: the host shuts down gracefully (Wolverine releases its node and durable work).
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        await _sampler;
        _process.Dispose();
        lock (_log) _log.Dispose();
        _sampling.Dispose();
    }
}
