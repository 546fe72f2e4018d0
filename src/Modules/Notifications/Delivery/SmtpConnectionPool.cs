using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Portal.Notifications.Delivery;

/// <summary>
/// Kept-open SMTP connections, per server and credentials: a burst of emails (a workflow assigned to hundreds of
/// clients invites them all) reuses a few connections instead of connecting, greeting and authenticating for every
/// message. Each email is still its own SMTP transaction with its own Message-ID, sent by its own SendEmail handler
/// (delivery log, advisory lock and retries unchanged). A connection is used by one sender at a time; an idle one
/// is checked with NOOP before reuse (a server that closed it, or went down, gets a fresh connection or the usual
/// "unreachable"), is dropped after <see cref="IdleFor"/> or <see cref="MessagesPerConnection"/> messages, and
/// at most <see cref="IdlePerServer"/> wait per server.
/// </summary>
internal sealed class SmtpConnectionPool
{
    public static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(30);
    public const int MessagesPerConnection = 100;
    public const int IdlePerServer = 8;
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, SmtpConnectionPool> Pools = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<Connection> _idle = new();
    private readonly SmtpSettings _settings;
    private readonly string _host;

    private SmtpConnectionPool(SmtpSettings settings, string host)
    {
        _settings = settings;
        _host = host;
    }

    /// <summary>One open connection and how many messages it carried.</summary>
    internal sealed class Connection(SmtpClient client)
    {
        public SmtpClient Client { get; } = client;
        public int Sent { get; set; }
        public long IdleSince { get; set; } = Stopwatch.GetTimestamp();
    }

    /// <summary>The pool for these settings: a changed host, port, TLS mode or credential gets a pool of its own.</summary>
    public static SmtpConnectionPool For(SmtpSettings settings, string host)
    {
        var key = string.Join('\u001f', host, settings.Port, settings.SecureSocketOptions, settings.Username ?? "",
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(settings.Password ?? ""))));
        return Pools.GetOrAdd(key, _ => new SmtpConnectionPool(settings, host));
    }

    /// <summary>An idle connection that still answers NOOP, else a new one (connect errors reach the caller).</summary>
    public async Task<Connection> RentAsync(CancellationToken cancellation)
    {
        while (_idle.TryDequeue(out var idle))
        {
            if (!idle.Client.IsConnected || Stopwatch.GetElapsedTime(idle.IdleSince) > IdleFor)
            {
                await CloseAsync(idle);
                continue;
            }

            try
            {
                await idle.Client.NoOpAsync(cancellation);
                return idle;
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellation) || e is SmtpCommandException)
            {
                // Closed by the server meanwhile (idle timeout, restart): nothing was sent on it; take another.
                await CloseAsync(idle);
            }
        }

        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            var socket = await ConnectSocketAsync(_host, _settings.Port, cancellation);
            try
            {
                await client.ConnectAsync(socket, _host, _settings.Port, _settings.SecureSocketOptions, cancellation);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            if (!string.IsNullOrEmpty(_settings.Username))
                await client.AuthenticateAsync(_settings.Username, _settings.Password ?? string.Empty, cancellation);
            return new Connection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The TCP connection, with Nagle's algorithm off: otherwise each small SMTP command waits for the server's delayed
    /// ACK (docs/performance.md, "Email"). MailKit connects with the socket's defaults, so the socket is made here.
    /// </summary>
    internal static async Task<Socket> ConnectSocketAsync(string host, int port, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(host, port, timeout.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"No TCP connection to the SMTP server within {ConnectTimeout.TotalSeconds:F0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The connection failed (refused, reset, closed, timed out, the conversation broken): nothing more can be said
    /// on it. A cancellation counts only when the caller did not ask for it (MailKit's own timeout).
    /// </summary>
    public static bool IsConnectionFailure(Exception e, CancellationToken cancellation) =>
        e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException
        || (e is OperationCanceledException && !cancellation.IsCancellationRequested);

    /// <summary>After an accepted message: back to the pool, or closed when it carried enough or enough wait.</summary>
    public async Task ReturnAsync(Connection? connection)
    {
        if (connection is null) return;
        connection.Sent++;
        if (connection.Sent < MessagesPerConnection && connection.Client.IsConnected && _idle.Count < IdlePerServer)
        {
            connection.IdleSince = Stopwatch.GetTimestamp();
            _idle.Enqueue(connection);
            return;
        }

        await CloseAsync(connection);
    }

    /// <summary>Says goodbye where it can; a failure while closing never matters (the message, if any, was accepted).</summary>
    public static async Task CloseAsync(Connection? connection)
    {
        if (connection is null) return;
        try
        {
            if (connection.Client.IsConnected)
            {
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await connection.Client.DisconnectAsync(quit: true, quit.Token);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException
                                      or SmtpCommandException or OperationCanceledException or TimeoutException or SslHandshakeException
                                      or AuthenticationException)
        {
        }
        finally
        {
            connection.Client.Dispose();
        }
    }
}
