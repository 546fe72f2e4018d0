using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Portal.Autopay.Payments;

public enum PaymentProvider
{
    Sandbox,
    Stripe,
}

/// <summary>
/// Stripe's keys. <see cref="ApiBase"/> is Stripe's own unless set (tests point it at a local server).
/// <see cref="FsaBins"/> and <see cref="HsaBins"/> are the card-number prefixes (BINs) of health-spending cards the
/// practice refuses: Stripe's funding type says only credit, debit or prepaid, so a card is recognised as FSA or HSA
/// only by the issuer number (<c>iin</c>) Stripe includes for accounts it gives that field to.
/// </summary>
public sealed record StripeSettings(string SecretKey, string PublishableKey, string WebhookSecret, string? ApiBase)
{
    public IReadOnlyList<string> FsaBins { get; init; } = [];
    public IReadOnlyList<string> HsaBins { get; init; } = [];

    /// <summary>Never the keys: a record's generated text would put them in any log line that prints it.</summary>
    public override string ToString() => $"Stripe ({(SecretKey.StartsWith("sk_live_", StringComparison.Ordinal) ? "live" : "test")} keys)";
}

/// <summary>The payment processor this host uses, read once at start (see <see cref="PaymentsConfiguration"/>).</summary>
public sealed record PaymentSettings(PaymentProvider Provider, StripeSettings? Stripe);

/// <summary>Why the host must not start with the payments configuration it was given: one line an operator can act on.</summary>
internal sealed class PaymentsConfigurationException(string reason) : Exception(reason);

/// <summary>
/// <c>Payments:Provider</c> is <c>Sandbox</c> (the in-app test processor, the default) or <c>Stripe</c>. Stripe's keys
/// (<c>Payments:Stripe:SecretKey</c>, <c>PublishableKey</c>, <c>WebhookSecret</c>) come from the environment
/// (<c>Payments__Stripe__SecretKey</c>) or a secrets file (<c>Payments:SecretsFile</c>, added by the host), never from
/// appsettings*.json. A configuration that would take no real payment in Production, or could not, stops the start.
/// </summary>
internal static class PaymentsConfiguration
{
    public const string ProviderKey = "Payments:Provider";
    public const string AllowSandboxInProductionKey = "Payments:AllowSandboxInProduction";
    public const string SecretsFileKey = "Payments:SecretsFile";
    public const string SecretKeyKey = "Payments:Stripe:SecretKey";
    public const string PublishableKeyKey = "Payments:Stripe:PublishableKey";
    public const string WebhookSecretKey = "Payments:Stripe:WebhookSecret";
    public const string ApiBaseKey = "Payments:Stripe:ApiBase";
    public const string FsaBinsKey = "Payments:Stripe:FsaBins";
    public const string HsaBinsKey = "Payments:Stripe:HsaBins";

    private static readonly string[] SecretKeys = [SecretKeyKey, WebhookSecretKey];

    /// <summary>The settings, or <see cref="PaymentsConfigurationException"/> with the one-line reason to refuse the start.</summary>
    public static PaymentSettings Read(IConfiguration configuration, bool isProduction)
    {
        var named = configuration[ProviderKey];
        if (!Enum.TryParse<PaymentProvider>(string.IsNullOrWhiteSpace(named) ? nameof(PaymentProvider.Sandbox) : named, true, out var provider)
            || !Enum.IsDefined(provider))
            throw new PaymentsConfigurationException(
                $"{ProviderKey} is '{named}': set it to Stripe or Sandbox.");

        foreach (var key in SecretKeys)
        {
            if (SettingsFileHolding(configuration, key) is { } file)
                throw new PaymentsConfigurationException(
                    $"{key} is in {file}: keep payment secrets in the environment or the file named by {SecretsFileKey}, never in appsettings.");
        }

        if (provider == PaymentProvider.Sandbox)
        {
            if (isProduction && !configuration.GetValue(AllowSandboxInProductionKey, false))
                throw new PaymentsConfigurationException(
                    $"{ProviderKey} is Sandbox in Production, where no real payment would be taken: set it to Stripe with its keys, " +
                    $"or set {AllowSandboxInProductionKey}=true for a demonstration host.");
            return new PaymentSettings(PaymentProvider.Sandbox, null);
        }

        var missing = new[] { SecretKeyKey, PublishableKeyKey, WebhookSecretKey }
            .Where(key => string.IsNullOrWhiteSpace(configuration[key])).ToList();
        if (missing.Count > 0)
            throw new PaymentsConfigurationException(
                $"{ProviderKey} is Stripe but {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not set " +
                $"(environment, e.g. {missing[0].Replace(":", "__", StringComparison.Ordinal)}, or the file named by {SecretsFileKey}).");
        var secret = configuration[SecretKeyKey]!.Trim();
        var publishable = configuration[PublishableKeyKey]!.Trim();
        if (!secret.StartsWith("sk_", StringComparison.Ordinal) && !secret.StartsWith("rk_", StringComparison.Ordinal))
            throw new PaymentsConfigurationException($"{SecretKeyKey} is not a Stripe secret or restricted key (sk_... or rk_...).");
        if (!publishable.StartsWith("pk_", StringComparison.Ordinal))
            throw new PaymentsConfigurationException($"{PublishableKeyKey} is not a Stripe publishable key (pk_...).");
        if (secret.StartsWith("sk_live_", StringComparison.Ordinal) != publishable.StartsWith("pk_live_", StringComparison.Ordinal))
            throw new PaymentsConfigurationException($"{SecretKeyKey} and {PublishableKeyKey} are not both live or both test keys.");
        var apiBase = configuration[ApiBaseKey];
        if (!string.IsNullOrWhiteSpace(apiBase) && isProduction)
            throw new PaymentsConfigurationException($"{ApiBaseKey} is set in Production: only tests point Stripe's client elsewhere.");

        return new PaymentSettings(PaymentProvider.Stripe,
            new StripeSettings(secret, publishable, configuration[WebhookSecretKey]!.Trim(), string.IsNullOrWhiteSpace(apiBase) ? null : apiBase)
            {
                FsaBins = Bins(configuration, FsaBinsKey),
                HsaBins = Bins(configuration, HsaBinsKey),
            });
    }

    /// <summary>A comma-separated list of BINs (6 to 8 digits each); anything else stops the start rather than refuse nothing.</summary>
    private static IReadOnlyList<string> Bins(IConfiguration configuration, string key)
    {
        var bins = (configuration[key] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (bins.FirstOrDefault(b => b.Length is < 6 or > 8 || !b.All(char.IsAsciiDigit)) is { } wrong)
            throw new PaymentsConfigurationException($"{key} holds '{wrong}': list card BINs of 6 to 8 digits, separated by commas.");
        return bins;
    }

    /// <summary>The appsettings*.json file that holds <paramref name="key"/>, if one does.</summary>
    private static string? SettingsFileHolding(IConfiguration configuration, string key) =>
        configuration is IConfigurationRoot root
            ? root.Providers.OfType<JsonConfigurationProvider>()
                .Where(p => Path.GetFileName(p.Source.Path ?? string.Empty).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
                .FirstOrDefault(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value))?.Source.Path
            : null;
}
