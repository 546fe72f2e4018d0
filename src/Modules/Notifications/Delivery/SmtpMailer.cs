using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Portal.Notifications.Delivery;

/// <summary>
/// Hands one message to the configured SMTP server over a pooled connection (<see cref="SmtpConnectionPool"/>) and
/// classifies failures as transient or permanent.
/// </summary>
internal static class SmtpMailer
{
    // Traced as "Portal.*" by the host; the span carries the server and Message-ID, never recipients or content.
    private static readonly ActivitySource Tracing = new("Portal.Notifications");

    public static async Task SendAsync(SmtpSettings settings, MimeMessage message, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(settings.Host))
            throw new TransientDeliveryException("No SMTP server is configured (set Smtp:Host).");

        using var span = Tracing.StartActivity("smtp send", ActivityKind.Client);
        span?.SetTag("server.address", settings.Host);
        span?.SetTag("server.port", settings.Port);
        span?.SetTag("messaging.message.id", message.MessageId);
        try
        {
            await DeliverAsync(settings, settings.Host, message, cancellation);
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private static async Task DeliverAsync(SmtpSettings settings, string host, MimeMessage message, CancellationToken cancellation)
    {
        var pool = SmtpConnectionPool.For(settings, host);
        SmtpConnectionPool.Connection? connection = null;
        try
        {
            connection = await pool.RentAsync(cancellation);
            await connection.Client.SendAsync(message, cancellation);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            await SmtpConnectionPool.CloseAsync(connection);
            throw new PermanentDeliveryException($"SMTP server refused the message: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (SmtpCommandException e)
        {
            await SmtpConnectionPool.CloseAsync(connection);
            throw new TransientDeliveryException($"SMTP server deferred the message: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            await SmtpConnectionPool.CloseAsync(connection);
            throw new TransientDeliveryException($"SMTP authentication failed: {e.Message}", e);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException
                                      or SslHandshakeException or TimeoutException
                                      || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            await SmtpConnectionPool.CloseAsync(connection);
            throw new TransientDeliveryException($"SMTP server unreachable: {e.GetType().Name}: {e.Message}", e);
        }
        catch
        {
            await SmtpConnectionPool.CloseAsync(connection);
            throw;
        }

        // The message is accepted: the connection goes back to the pool for the next email (or is closed, where a
        // failure while saying goodbye must not cause a second copy).
        await pool.ReturnAsync(connection);
    }
}
