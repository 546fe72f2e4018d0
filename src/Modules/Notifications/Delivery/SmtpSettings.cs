using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;

namespace Portal.Notifications.Delivery;

/// <summary>
/// The "Smtp" configuration section: Smtp:Host, Port, TlsMode (None, StartTls, StartTlsWhenAvailable, SslOnConnect,
/// Auto), Username, Password, From. Read at send time, so a corrected setting takes effect on the next retry.
/// </summary>
internal sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string TlsMode { get; set; } = nameof(SecureSocketOptions.Auto);
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Portal <no-reply@portal.localhost>";

    public static SmtpSettings Read(IConfiguration configuration) =>
        configuration.GetSection("Smtp").Get<SmtpSettings>() ?? new SmtpSettings();

    public SecureSocketOptions SecureSocketOptions =>
        Enum.TryParse<SecureSocketOptions>(TlsMode, ignoreCase: true, out var mode) ? mode : SecureSocketOptions.Auto;

    public MailboxAddress Sender => MailboxAddress.Parse(From);

    /// <summary>The domain of the sender, used on the right of every Message-ID.</summary>
    public string MessageIdDomain => Sender.Domain is { Length: > 0 } domain ? domain : "portal.localhost";
}
