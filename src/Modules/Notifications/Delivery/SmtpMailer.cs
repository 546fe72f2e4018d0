using System.Diagnostics;
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
        catch (Exception e)
        {
            await SmtpConnectionPool.CloseAsync(connection);
            var delivery = Classify(e, cancellation);
            if (delivery is null) throw;
            throw delivery;
        }

        // The message is accepted: the connection goes back to the pool for the next email (or is closed, where a
        // failure while saying goodbye must not cause a second copy).
        await pool.ReturnAsync(connection);
    }

    /// <summary>What a failed send means for the delivery: refused for good, worth a retry, or (null) not a delivery failure.</summary>
    private static Exception? Classify(Exception e, CancellationToken cancellation) => e switch
    {
        SmtpCommandException { StatusCode: var code } when (int)code >= 500 =>
            new PermanentDeliveryException($"SMTP server refused the message: {(int)code} {e.Message}", e),
        SmtpCommandException { StatusCode: var code } =>
            new TransientDeliveryException($"SMTP server deferred the message: {(int)code} {e.Message}", e),
        AuthenticationException => new TransientDeliveryException($"SMTP authentication failed: {e.Message}", e),
        _ when SmtpConnectionPool.IsConnectionFailure(e, cancellation) || e is SslHandshakeException =>
            new TransientDeliveryException($"SMTP server unreachable: {e.GetType().Name}: {e.Message}", e),
        _ => null,
    };
}
