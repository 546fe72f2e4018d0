namespace Portal.Invitations.Accounts;

/// <summary>
/// A sign-in account: a client's (after activation), a provider's (created with the provider, password set by
/// support or by a reset link) or support staff's (seeded from configuration). Holds only hashes of secrets;
/// the TOTP secret is kept protected with Data Protection.
/// </summary>
public sealed class Account
{
    public Guid Id { get; set; }
    public string Email { get; set; } = string.Empty;
    public string Role { get; set; } = string.Empty;
    public Guid? ClientId { get; set; }
    public Guid? ProviderId { get; set; }
    public Guid? PracticeId { get; set; }
    /// <summary>A practice member's role (null for clients and support); the sign-in cookie carries it.</summary>
    public StaffRole? StaffRole { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public string FirstName { get; set; } = string.Empty;
    public string? PasswordHash { get; set; }
    public bool Active { get; set; }
    /// <summary>
    /// A practice member an owner deactivated: sign-in is refused as for a wrong password, whatever <see cref="Active"/>
    /// says (a password reset sets that, never this).
    /// </summary>
    public bool Deactivated { get; set; }
    public string? ProtectedTotpSecret { get; set; }
    public string? ProtectedPendingTotpSecret { get; set; }
    public long LastTotpStep { get; set; }
    public bool TotpEnabled { get; set; }
    public List<string> RecoveryCodeHashes { get; set; } = [];
    public int FailedSignIns { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? LastFailedSignInAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>The IANA time zone the person chose on their account page; null: the practice's zone.</summary>
    public string? TimeZone { get; set; }
    /// <summary>
    /// The client records this login acts for as a contact (a parent for each child, a partner), beside its own
    /// (<see cref="ClientId"/>, when the person is a client too). The cookie's client is the one acted for now.
    /// </summary>
    public List<ActingFor> ActsFor { get; set; } = [];

    /// <summary>The passkeys (WebAuthn credentials) registered for this login; each one is a second factor on its own.</summary>
    public List<Passkey> Passkeys { get; set; } = [];

    /// <summary>Whether the login has a second factor to prove: an authenticator app or at least one passkey.</summary>
    public bool HasSecondFactor => TotpEnabled || Passkeys.Count > 0;

    /// <summary>
    /// When the practice closed a client's account (a discharge): sign-in is refused, saying so only after the right
    /// password, until a new invitation's activation opens it again.
    /// </summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public bool IsClosed => !Active && ClosedAt is not null;

    /// <summary>Forgets the closed account's second factor and closure; the activation sets the new password.</summary>
    public void Reopen()
    {
        ClosedAt = null;
        ProtectedTotpSecret = null;
        ProtectedPendingTotpSecret = null;
        TotpEnabled = false;
        RecoveryCodeHashes = [];
        Passkeys = [];
    }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>
    /// Forgets the failed sign-ins and ends any lock (a successful sign-in, an activation, a password reset, support's
    /// unlock). When a client's lock was still running, the message that tells the provider's client list.
    /// </summary>
    public ClientAccountLockChanged? ClearLock(DateTimeOffset now)
    {
        var ended = IsLocked(now) && ClientId is { } clientId ? new ClientAccountLockChanged(clientId, null, now) : null;
        FailedSignIns = 0;
        LastFailedSignInAt = null;
        LockedUntil = null;
        return ended;
    }
}

/// <summary>One client record a login acts for as that client's contact.</summary>
public sealed record ActingFor(Guid ClientId, Guid ContactId);
