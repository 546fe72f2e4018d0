using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Portal.Autopay.Payments;
using Portal.Tests.Reliability;

namespace Portal.Tests.Autopay;

/// <summary>Payments configuration that cannot go wrong quietly: the host refuses to start, with the reason on one line.</summary>
public sealed class PaymentsConfigurationTests
{
    [Fact]
    public async Task The_host_in_Production_with_the_sandbox_and_no_opt_in_exits_non_zero_with_the_reason()
    {
        var (exit, errors) = await RunHostAsync(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        exit.ShouldNotBe(0);
        errors.ShouldContain("Portal will not start: Payments:Provider is Sandbox in Production, where no real payment would be taken");
        errors.Trim().Split('\n').Length.ShouldBe(1, "the reason is one line");
    }

    [Fact]
    public async Task The_host_in_Stripe_mode_without_keys_exits_non_zero_naming_the_missing_keys()
    {
        var (exit, errors) = await RunHostAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Payments__Provider"] = "Stripe",
            ["Payments__Stripe__PublishableKey"] = "pk_live_abc",
        });
        exit.ShouldNotBe(0);
        errors.ShouldContain("Payments:Provider is Stripe but Payments:Stripe:SecretKey, Payments:Stripe:WebhookSecret are not set");
    }

    [Fact]
    public void The_sandbox_in_Production_is_allowed_only_with_the_opt_in()
    {
        PaymentsConfiguration.Read(Settings(new() { ["Payments:AllowSandboxInProduction"] = "true" }), isProduction: true)
            .Provider.ShouldBe(PaymentProvider.Sandbox);
        PaymentsConfiguration.Read(Settings(new()), isProduction: false).Provider.ShouldBe(PaymentProvider.Sandbox);
        Should.Throw<PaymentsConfigurationException>(() => PaymentsConfiguration.Read(Settings(new()), isProduction: true));
    }

    [Fact]
    public void Stripe_keys_are_checked_and_never_printed()
    {
        var keys = new Dictionary<string, string?>
        {
            ["Payments:Provider"] = "stripe",
            ["Payments:Stripe:SecretKey"] = "sk_test_secret123",
            ["Payments:Stripe:PublishableKey"] = "pk_test_123",
            ["Payments:Stripe:WebhookSecret"] = "whsec_123",
        };
        var settings = PaymentsConfiguration.Read(Settings(keys), isProduction: true);
        settings.Provider.ShouldBe(PaymentProvider.Stripe);
        settings.ToString().ShouldNotContain("sk_test_secret123");
        settings.ToString().ShouldNotContain("whsec_123");

        keys["Payments:Stripe:PublishableKey"] = "pk_live_123";
        Should.Throw<PaymentsConfigurationException>(() => PaymentsConfiguration.Read(Settings(keys), isProduction: true))
            .Message.ShouldContain("not both live or both test keys");
        keys["Payments:Provider"] = "Paypal";
        Should.Throw<PaymentsConfigurationException>(() => PaymentsConfiguration.Read(Settings(keys), isProduction: false))
            .Message.ShouldBe("Payments:Provider is 'Paypal': set it to Stripe or Sandbox.");
    }

    [Fact]
    public void The_FSA_and_HSA_BIN_lists_are_read_and_a_wrong_entry_stops_the_start()
    {
        var keys = new Dictionary<string, string?>
        {
            ["Payments:Provider"] = "Stripe",
            ["Payments:Stripe:SecretKey"] = "sk_test_secret123",
            ["Payments:Stripe:PublishableKey"] = "pk_test_123",
            ["Payments:Stripe:WebhookSecret"] = "whsec_123",
            ["Payments:Stripe:FsaBins"] = "409999, 41234567",
        };
        var stripe = PaymentsConfiguration.Read(Settings(keys), isProduction: true).Stripe!;
        stripe.FsaBins.ShouldBe(["409999", "41234567"]);
        stripe.HsaBins.ShouldBeEmpty();

        keys["Payments:Stripe:HsaBins"] = "5599";
        Should.Throw<PaymentsConfigurationException>(() => PaymentsConfiguration.Read(Settings(keys), isProduction: true))
            .Message.ShouldBe("Payments:Stripe:HsaBins holds '5599': list card BINs of 6 to 8 digits, separated by commas.");
    }

    [Fact]
    public void A_secret_in_appsettings_json_is_refused()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "appsettings.json"),
                """{ "Payments": { "Provider": "Stripe", "Stripe": { "SecretKey": "sk_test_in_file" } } }""");
            var configuration = new ConfigurationBuilder().SetBasePath(folder.FullName).AddJsonFile("appsettings.json").Build();
            Should.Throw<PaymentsConfigurationException>(() => PaymentsConfiguration.Read(configuration, isProduction: false))
                .Message.ShouldStartWith("Payments:Stripe:SecretKey is in ");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IConfiguration Settings(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    /// <summary>The built host as its own process (as a deployment runs it), until it exits.</summary>
    private static async Task<(int Exit, string Errors)> RunHostAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [PortalProcess.HostAssembly, "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = Path.GetDirectoryName(PortalProcess.HostAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Payments__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["ConnectionStrings__Portal"] = "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The host did not exit: {await output}");
        }
        return (process.ExitCode, await errors);
    }
}
