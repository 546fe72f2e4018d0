using System.Security.Cryptography;
using System.Text;

namespace Portal.Integrations.ApiClients;

/// <summary>
/// Another system of a practice (its EHR, billing service, automation tool) that calls the API with OAuth 2.0 client
/// credentials. Only a hash of the secret is kept: the secret is shown once, when created or rotated. Each rotation
/// raises <see cref="Generation"/>, and a token carries the generation it was issued under, so rotating or revoking
/// stops every token already issued at its next request (the bearer check loads this record on every call).
/// </summary>
public sealed class ApiClient : Shared.IPracticeRecord
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string Name { get; set; } = string.Empty;
    public List<string> Scopes { get; set; } = [];
    public string SecretHash { get; set; } = string.Empty;
    public int Generation { get; set; } = 1;
    public int RequestsPerMinute { get; set; } = ApiClientLimits.DefaultRequestsPerMinute;
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool Revoked => RevokedAt is not null;

    /// <summary>The OAuth client_id: the record's id without dashes (public, not a secret).</summary>
    public string ClientId => Id.ToString("N");

    public ApiClientView ToView() =>
        new(Id, ClientId, Name, [.. Scopes], RequestsPerMinute, CreatedAt, RotatedAt, RevokedAt, LastUsedAt);

    public static Guid? IdOf(string? clientId) =>
        Guid.TryParseExact(clientId, "N", out var id) ? id : null;
}

public sealed record ApiClientView(
    Guid Id, string ClientId, string Name, string[] Scopes, int RequestsPerMinute, DateTimeOffset CreatedAt,
    DateTimeOffset? RotatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

/// <summary>The answer to creating a client or rotating its secret: the only time the secret is shown.</summary>
public sealed record ApiClientCredentials(ApiClientView Client, string ClientId, string ClientSecret, string TokenEndpoint);

internal static class ApiClientLimits
{
    public const int DefaultRequestsPerMinute = 120;
    public const int MaxRequestsPerMinute = 6000;
    public const string TokenEndpoint = "/connect/token";
}

/// <summary>
/// Secrets are 256 random bits, so a fast hash is enough to keep them unusable at rest (no dictionary to try), and a
/// constant-time comparison answers the token endpoint without telling how close a guess came.
/// </summary>
internal static class ApiClientSecrets
{
    public static string New() => "pcs_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(hash));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
