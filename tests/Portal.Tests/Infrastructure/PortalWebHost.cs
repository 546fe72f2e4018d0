using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The portal on a real Kestrel port, on a database of its own, sending its emails to <paramref name="mail"/>: for
/// tests that need a real socket (a browser, an HTTP client with cookies). <paramref name="settings"/> adds or
/// overrides configuration keys (e.g. "Portal:DemoData").
/// </summary>
internal sealed class PortalWebHost(string connectionString, MailCapture mail, IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public Uri BaseAddress { get; private set; } = null!;

    private int _port;

    /// <summary>Starts the host on a free loopback port.</summary>
    public Uri Start()
    {
        // The host runs through JasperFx's command line; under a test factory it must start the host itself.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        var port = _port = FreeLoopbackPort();
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        StartServer();
        return BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Portal", connectionString);
        builder.UseSetting("Smtp:Host", mail.Host);
        builder.UseSetting("Smtp:Port", mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Smtp:TlsMode", "None");
        // The portal's public address is this host's port on "localhost": WebAuthn takes no IP address as a relying
        // party, so a browser that uses passkeys opens the pages at http://localhost:{port}.
        builder.UseSetting("Portal:PublicUrl", $"http://localhost:{_port}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RunWolverineInSoloMode();
            services.DisableAllExternalWolverineTransports();
        });
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
