using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Tests.Invitations;

/// <summary>
/// A passkey authenticator in software, for the server side of the WebAuthn ceremonies: an ECDSA P-256 key, a random
/// credential id, a signature counter, and the attestation ("none") and assertion payloads a browser would post, built
/// byte by byte (CBOR with System.Formats.Cbor) from the options the portal sent.
/// </summary>
internal sealed class SoftwareAuthenticator : IDisposable
{
    public const string PortalOrigin = "http://localhost:5000";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);
    public byte[]? UserHandle { get; private set; }
    public uint Counter { get; set; }

    public string Id => Base64Url(CredentialId);

    /// <summary>The credential JSON for <c>navigator.credentials.create</c>'s answer to <paramref name="options"/>.</summary>
    public JsonObject Attest(JsonElement options, string origin = PortalOrigin)
    {
        var rpId = options.GetProperty("rp").GetProperty("id").GetString()!;
        UserHandle = FromBase64Url(options.GetProperty("user").GetProperty("id").GetString()!);
        var clientData = ClientData("webauthn.create", options.GetProperty("challenge").GetString()!, origin);
        var parameters = _key.ExportParameters(false);
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1); cose.WriteInt32(2); // kty: EC2
        cose.WriteInt32(3); cose.WriteInt32(-7); // alg: ES256
        cose.WriteInt32(-1); cose.WriteInt32(1); // crv: P-256
        cose.WriteInt32(-2); cose.WriteByteString(parameters.Q.X!);
        cose.WriteInt32(-3); cose.WriteByteString(parameters.Q.Y!);
        cose.WriteEndMap();
        var credentialIdLength = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(credentialIdLength, (ushort)CredentialId.Length);
        // Flags: user present, user verified, attested credential data.
        var authData = Concat(AuthDataHead(rpId, 0x45, Counter), new byte[16], credentialIdLength, CredentialId, cose.Encode());

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt"); attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt"); attestation.WriteStartMap(0); attestation.WriteEndMap();
        attestation.WriteTextString("authData"); attestation.WriteByteString(authData);
        attestation.WriteEndMap();
        return new JsonObject
        {
            ["id"] = Id,
            ["rawId"] = Id,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url(clientData),
                ["attestationObject"] = Base64Url(attestation.Encode()),
                ["transports"] = new JsonArray("internal"),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    /// <summary>
    /// The credential JSON for <c>navigator.credentials.get</c>'s answer to <paramref name="options"/>; the counter moves
    /// forward by one first, unless <paramref name="counter"/> says what it is.
    /// </summary>
    public JsonObject Assert(JsonElement options, string origin = PortalOrigin, uint? counter = null)
    {
        Counter = counter ?? Counter + 1;
        var rpId = options.GetProperty("rpId").GetString()!;
        var clientData = ClientData("webauthn.get", options.GetProperty("challenge").GetString()!, origin);
        var authData = AuthDataHead(rpId, 0x05, Counter);
        var signature = _key.SignData(Concat(authData, SHA256.HashData(clientData)), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
        return new JsonObject
        {
            ["id"] = Id,
            ["rawId"] = Id,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url(clientData),
                ["authenticatorData"] = Base64Url(authData),
                ["signature"] = Base64Url(signature),
                ["userHandle"] = UserHandle is null ? null : Base64Url(UserHandle),
            },
            ["clientExtensionResults"] = new JsonObject(),
        };
    }

    private static byte[] ClientData(string type, string challenge, string origin) => Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false }));

    private static byte[] AuthDataHead(string rpId, byte flags, uint counter)
    {
        var count = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(count, counter);
        return Concat(SHA256.HashData(Encoding.UTF8.GetBytes(rpId)), [flags], count);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    public void Dispose() => _key.Dispose();
}
