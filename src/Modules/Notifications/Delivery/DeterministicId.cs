using System.Security.Cryptography;
using System.Text;

namespace Portal.Notifications.Delivery;

/// <summary>Ids derived from what caused them: the same cause always gives the same id (name-based, SHA-256).</summary>
internal static class DeterministicId
{
    public static Guid From(params object[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts)));
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant
        return new Guid(bytes);
    }
}
