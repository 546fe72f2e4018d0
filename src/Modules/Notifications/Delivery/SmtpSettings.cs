using System.Globalization;
using MailKit.Security;
using MimeKit;

namespace Portal.Notifications.Delivery;

/// <summary>
/// The "Smtp" configuration section: Smtp:Host, Port, TlsMode (None, StartTls, StartTlsWhenAvailable, SslOnConnect,
/// Auto), Username, Password, From. Read at send time, so a corrected setting takes effect on the next retry.
/// Read key by key rather than with the configuration binder: this runs for every email, and the binder's reflection
/// makes the runtime emit new invocation stubs again and again under load.
/// </summary>
internal sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string TlsMode { get; set; } = nameof(SecureSocketOptions.Auto);
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Portal <no-reply@portal.localhost>";

    public static SmtpSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Smtp");
        var settings = new SmtpSettings { Host = section[nameof(Host)], Username = section[nameof(Username)], Password = section[nameof(Password)] };
        if (section[nameof(Port)] is { Length: > 0 } port)
        {
            settings.Port = int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535
                ? number
                : throw new InvalidOperationException($"Smtp:Port is '{port}': a TCP port number (1-65535) is expected.");
        }
        if (section[nameof(TlsMode)] is { Length: > 0 } tlsMode) settings.TlsMode = tlsMode;
        if (section[nameof(From)] is { Length: > 0 } from) settings.From = from;
        return settings;
    }

    public SecureSocketOptions SecureSocketOptions =>
        Enum.TryParse<SecureSocketOptions>(TlsMode, ignoreCase: true, out var mode) ? mode : SecureSocketOptions.Auto;

    public MailboxAddress Sender => MailboxAddress.Parse(From);

    /// <summary>The domain of the sender, used on the right of every Message-ID.</summary>
    public string MessageIdDomain => Sender.Domain is { Length: > 0 } domain ? domain : "portal.localhost";
}
