using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server inside the test process (SmtpServer), on a free port of 127.0.0.1, that the host sends to
/// (the fixture sets Smtp__Host/Smtp__Port). Every accepted message is kept, parsed, in <see cref="Messages"/>.
/// <see cref="StopAsync"/> and <see cref="Start"/> take the server down and up again (connection refused meanwhile).
/// </summary>
public sealed class MailCapture : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<MimeMessage> _messages = [];
    private readonly HashSet<string> _refused = new(StringComparer.OrdinalIgnoreCase);
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    public MailCapture()
    {
        Port = FreePort();
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Every message the server accepted since the last <see cref="Clear"/>, in arrival order.</summary>
    public IReadOnlyList<MimeMessage> Messages
    {
        get { lock (_lock) return _messages.ToList(); }
    }

    /// <summary>The messages addressed to one recipient (case-insensitive).</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        Messages.Where(m => m.To.Mailboxes.Any(x => string.Equals(x.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public bool IsRunning => _server is not null;

    /// <summary>SMTP connections (sessions) the server accepted since the fixture started: pooled sending keeps this low.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    private int _sessions;

    public void Clear()
    {
        lock (_lock)
        {
            _messages.Clear();
            _refused.Clear();
        }
    }

    /// <summary>From now on (until <see cref="Clear"/>), messages to this address are refused for good (554).</summary>
    public void Refuse(string address)
    {
        lock (_lock) _refused.Add(address);
    }

    private bool Refuses(IEnumerable<string> addresses)
    {
        lock (_lock) return addresses.Any(_refused.Contains);
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived (for mail sent outside a tracked session).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < deadline)
        {
            var messages = Messages;
            if (messages.Count >= count) return messages;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Expected {count} email(s); {Messages.Count} arrived.");
    }

    /// <summary>The first http(s) link in a message's plain-text body that starts with <paramref name="prefix"/>.</summary>
    public static string? LinkIn(MimeMessage message, string prefix = "http")
    {
        var text = message.TextBody ?? string.Empty;
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0) return null;
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
        return text[start..end];
    }

    public void Start()
    {
        if (_server is not null) return;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add((SmtpServer.Net.IEndpointListenerFactory)new NoDelayListenerFactory());
        _server = new SmtpServer.SmtpServer(options, services);
        _server.SessionCreated += (_, _) => Interlocked.Increment(ref _sessions);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);
    }

    public async Task StopAsync()
    {
        if (_server is null) return;
        _server.Shutdown();
        await _stop!.CancelAsync();
        try
        {
            await _running!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Add(MimeMessage message)
    {
        lock (_lock) _messages.Add(message);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The server's connections with Nagle's algorithm off, as real mail servers have them (the host's
    /// SmtpConnectionPool turns it off on its side). SmtpServer's own listener leaves it on and writes each reply to
    /// a pipelined MAIL/RCPT/DATA on its own: the second reply then waited for the host's delayed ACK, about 40 ms
    /// for every email a test sent.
    /// </summary>
    private sealed class NoDelayListenerFactory : SmtpServer.Net.IEndpointListenerFactory
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

        /// <summary>A plain (no TLS) duplex pipe over the connection: the tests' server never offers STARTTLS.</summary>
        private sealed class PlainPipe(TcpClient client) : SmtpServer.IO.ISecurableDuplexPipe
        {
            public System.IO.Pipelines.PipeReader Input { get; } = System.IO.Pipelines.PipeReader.Create(client.GetStream());

            public System.IO.Pipelines.PipeWriter Output { get; } = System.IO.Pipelines.PipeWriter.Create(client.GetStream());

            public bool IsSecure => false;

            public System.Security.Authentication.SslProtocols SslProtocol => System.Security.Authentication.SslProtocols.None;

            public Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate,
                System.Security.Authentication.SslProtocols protocols, CancellationToken cancellationToken = default) =>
                throw new NotSupportedException("The tests' SMTP server speaks plain SMTP only.");

            public void Dispose() => client.Dispose();
        }
    }

    private sealed class Store(MailCapture capture) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (capture.Refuses(transaction.To.Select(m => $"{m.User}@{m.Host}")))
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "Mailbox refuses this message");
            await using var stream = new MemoryStream(buffer.ToArray());
            capture.Add(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
