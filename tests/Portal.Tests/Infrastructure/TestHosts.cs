using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wolverine;

namespace Portal.Tests.Infrastructure;

/// <summary>What a test's <see cref="PortalTest"/> base needs of the host it runs against.</summary>
public interface ITestPortal
{
    IAlbaHost Host { get; }
    MailCapture Mail { get; }
    FakeTimeProvider Clock { get; }
    CapturedLogs Logs { get; }
}

/// <summary>
/// How every in-process test host starts the portal (the shared one, Stripe mode's): the Testing environment, the
/// test's clock and log capture, Wolverine alone with no external transport, and the given settings, which win over
/// the environment.
/// </summary>
internal static class TestHosts
{
    public static Task<IAlbaHost> StartAsync(FakeTimeProvider clock, CapturedLogs logs, IReadOnlyDictionary<string, string>? settings = null)
    {
        // The host runs through JasperFx's command line; under a test host it must start the host itself.
        JasperFxEnvironment.AutoStartHost = true;
        return AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
            });
        });
    }

    /// <summary>The settings that send the host's email to <paramref name="mail"/>.</summary>
    public static Dictionary<string, string> SendingMailTo(MailCapture mail) => new()
    {
        ["Smtp:Host"] = mail.Host,
        ["Smtp:Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:TlsMode"] = "None",
    };
}
