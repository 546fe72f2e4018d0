using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Portal.Notifications.Delivery;

/// <summary>Hands one message to the configured SMTP server and classifies failures as transient or permanent.</summary>
internal static class SmtpMailer
{
    public static async Task SendAsync(SmtpSettings settings, MimeMessage message, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(settings.Host))
            throw new TransientDeliveryException("No SMTP server is configured (set Smtp:Host).");

        using var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(settings.Host, settings.Port, settings.SecureSocketOptions, cancellation);
            if (!string.IsNullOrEmpty(settings.Username))
                await client.AuthenticateAsync(settings.Username, settings.Password ?? string.Empty, cancellation);
            await client.SendAsync(message, cancellation);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            throw new PermanentDeliveryException($"SMTP server refused the message: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (SmtpCommandException e)
        {
            throw new TransientDeliveryException($"SMTP server deferred the message: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            throw new TransientDeliveryException($"SMTP authentication failed: {e.Message}", e);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException
                                      or SslHandshakeException or TimeoutException
                                      || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new TransientDeliveryException($"SMTP server unreachable: {e.GetType().Name}: {e.Message}", e);
        }

        // The message is accepted: a failure while saying goodbye must not cause a second copy.
        try
        {
            await client.DisconnectAsync(quit: true, cancellation);
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or SmtpCommandException)
        {
        }
    }
}
