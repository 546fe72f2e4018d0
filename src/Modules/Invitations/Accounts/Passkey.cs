namespace Portal.Invitations.Accounts;

/// <summary>
/// One WebAuthn credential of a login, kept on its <see cref="Account"/>: the public key and counter the ceremonies
/// verify against, and the name and last use the person sees when they manage their passkeys.
/// </summary>
public sealed class Passkey
{
    public byte[] CredentialId { get; set; } = [];
    public byte[] PublicKey { get; set; } = [];
    public uint SignCount { get; set; }
    public string Name { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
