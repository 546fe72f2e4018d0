using Portal.Invitations.Accounts;

namespace Portal.Invitations.Members;

/// <summary>
/// One emailed activation link for a practice member, under the client invitation's rules: only the SHA-256 hash of
/// its token is stored, it works once, for <see cref="Invites.InvitationSender.ValidFor"/> (5 days), and a newer link
/// replaces it. Kept apart from the client's <see cref="Invites.Invitation"/>: a member proves who they are by holding
/// the link to their work email (no date of birth), and the client invitation's followers (Caseload) never see it.
/// </summary>
public sealed class MemberInvitation
{
    /// <summary>The id of the request that issued it (<see cref="MemberInvitationRequested.RequestId"/>), so a replay issues nothing.</summary>
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public string Email { get; set; } = string.Empty;
    public string FirstName { get; set; } = string.Empty;
    public string PracticeName { get; set; } = string.Empty;
    public StaffRole Role { get; set; }
    public string TokenHash { get; set; } = string.Empty;
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset? ReplacedAt { get; set; }

    public bool IsPending(DateTimeOffset now) => UsedAt is null && ReplacedAt is null && now < ExpiresAt;
}

/// <summary>Issues member invitations and finds the one a link's token belongs to.</summary>
internal static class MemberInvitations
{
    public const string LinkPath = "/activate/member";

    /// <summary>
    /// Replaces the member's open invitations and issues a new one; the returned message carries the protected link.
    /// The caller holds the member's edit lock (<see cref="LockMemberAsync"/>).
    /// </summary>
    public static async Task<MemberInvitationEmailRequested> IssueAsync(IDocumentSession session, Guid id, Guid providerId, string email,
        string name, string practiceName, StaffRole role, DateTimeOffset now, IDataProtectionProvider protection, IConfiguration configuration,
        CancellationToken cancellation)
    {
        foreach (var old in await OpenAsync(session, providerId, cancellation))
        {
            old.ReplacedAt = now;
            session.Store(old);
        }

        var token = SecretTokens.New();
        var invitation = new MemberInvitation
        {
            Id = id,
            ProviderId = providerId,
            Email = email.Trim().ToLowerInvariant(),
            FirstName = FirstNameOf(name),
            PracticeName = practiceName,
            Role = role,
            TokenHash = SecretTokens.Hash(token),
            SentAt = now,
            ExpiresAt = now + Invites.InvitationSender.ValidFor,
        };
        session.Store(invitation);
        var link = SecretLinks.Create(protection, configuration, $"{LinkPath}?token={token}");
        return new MemberInvitationEmailRequested(invitation.Id, providerId, invitation.Email, invitation.FirstName, practiceName, role, link,
            invitation.ExpiresAt);
    }

    public static async Task<IReadOnlyList<MemberInvitation>> OpenAsync(IQuerySession session, Guid providerId, CancellationToken cancellation) =>
        await session.Query<MemberInvitation>()
            .Where(i => i.ProviderId == providerId && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync(cancellation);

    /// <summary>Serializes the work on one member's invitations (issue, renew, activate) across requests and hosts.</summary>
    public static Task LockMemberAsync(IDocumentSession session, Guid providerId, CancellationToken cancellation) =>
        Portal.BuildingBlocks.Concurrency.EditLock.LockAsync<MemberInvitation>(session, providerId, cancellation);

    /// <summary>The invitation a link's token names (used, expired or not), or null.</summary>
    public static async Task<MemberInvitation?> FindAsync(IQuerySession session, string token, CancellationToken cancellation)
    {
        var hash = SecretTokens.Hash(token);
        return await session.Query<MemberInvitation>().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellation);
    }

    public static string FirstNameOf(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    /// <summary>The role in the words the activation page uses.</summary>
    public static string RoleWords(StaffRole role) => role switch
    {
        StaffRole.Owner => "an owner",
        StaffRole.Clinician => "a clinician",
        StaffRole.FrontDesk => "front desk staff",
        StaffRole.Biller => "a biller",
        _ => "a member",
    };
}

/// <summary>What the roster hears about a member's account (active since, last sign-in); nothing for other accounts.</summary>
internal static class MemberAccounts
{
    public static OutgoingMessages Changed(Account account) =>
        account.ProviderId is { } providerId ? [new MemberAccountChanged(providerId, account.ActivatedAt, account.LastSignInAt)] : [];
}
