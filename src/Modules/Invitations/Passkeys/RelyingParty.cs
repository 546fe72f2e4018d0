using System.Text.Json;
using Fido2NetLib;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Passkeys;

/// <summary>
/// The portal as a WebAuthn relying party: its id is the host of <c>Portal:PublicUrl</c> and the only origin it accepts
/// is that URL's scheme, host and port, so an assertion made for another site (or a look-alike) is refused.
/// </summary>
internal static class RelyingParty
{
    public static Fido2Configuration Configuration(IConfiguration configuration)
    {
        var url = new Uri((configuration["Portal:PublicUrl"] is { Length: > 0 } value ? value : "http://localhost:5000").TrimEnd('/'));
        return new Fido2Configuration
        {
            RPID = url.Host,
            RPName = "Portal",
            Origins = new HashSet<string>(StringComparer.Ordinal) { url.GetLeftPart(UriPartial.Authority) },
            Timeout = (uint)PasskeyCeremonies.Lifetime.TotalMilliseconds,
        };
    }

    public static Fido2 Create(IConfiguration configuration) => new(Configuration(configuration), null!);

    /// <summary>The WebAuthn user handle of a login: its account id (16 bytes, nothing personal in it).</summary>
    public static byte[] UserHandle(Account account) => account.Id.ToByteArray();

    public static Guid? AccountIdOf(byte[]? userHandle) => userHandle is { Length: 16 } ? new Guid(userHandle) : null;

    /// <summary>A credential as the browser posted it; null when it is not one.</summary>
    public static AuthenticatorAttestationRawResponse? Attestation(JsonElement credential) =>
        Parse<AuthenticatorAttestationRawResponse>(credential) is { Response: not null, RawId: not null } parsed ? parsed : null;

    public static AuthenticatorAssertionRawResponse? Assertion(JsonElement credential) =>
        Parse<AuthenticatorAssertionRawResponse>(credential) is { Response: not null, RawId: not null } parsed ? parsed : null;

    // The library's models carry their own JSON names and base64url converters; default options read them as browsers send.
    private static T? Parse<T>(JsonElement credential) where T : class
    {
        if (credential.ValueKind != JsonValueKind.Object) return null;
        try
        {
            return credential.Deserialize<T>();
        }
        catch (Exception exception) when (exception is JsonException or FormatException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Options as the browser's <c>navigator.credentials</c> takes them (the library's own JSON shape).</summary>
    public static JsonElement Json(string optionsJson) => JsonDocument.Parse(optionsJson).RootElement.Clone();

    public static string Id(byte[] credentialId) => Base64UrlEncoder.Encode(credentialId);
}

/// <summary>Base64url without padding, as WebAuthn spells credential ids.</summary>
internal static class Base64UrlEncoder
{
    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[]? Decode(string text)
    {
        if (text.Length is 0 or > 1400) return null;
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
