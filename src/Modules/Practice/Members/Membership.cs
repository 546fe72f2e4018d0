using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>
/// What every owner's action on members obeys: the owner acts on their own practice only (a member of another practice
/// is not found), the practice's member changes are serialized by an edit lock on the practice, and the practice keeps
/// at least one active owner.
/// </summary>
internal static class Membership
{
    public const string LastOwnerTitle = "The practice must keep at least one active owner.";

    /// <summary>The role as the pages and emails say it.</summary>
    public static string RoleName(StaffRole role) => role switch
    {
        StaffRole.Owner => "Owner",
        StaffRole.Clinician => "Clinician",
        StaffRole.FrontDesk => "Front desk",
        StaffRole.Biller => "Biller",
        _ => role.ToString(),
    };

    /// <summary>
    /// Takes the practice's edit lock (two owners changing each other at once must not both pass the last-owner rule),
    /// then loads the member the owner names; a member of another practice is refused as not found.
    /// </summary>
    public static async Task<Outcome<RosterProvider>> LoadLockedAsync(IDocumentSession session, CurrentUser owner, Guid providerId,
        CancellationToken cancellation)
    {
        await EditLock.LockAsync<RosterPractice>(session, owner.PracticeId!.Value, cancellation);
        var member = await session.LoadAsync<RosterProvider>(providerId, cancellation);
        return member is null || member.PracticeId != owner.PracticeId ? Refusal.NotFound("member") : member;
    }

    /// <summary>
    /// The refusal when the member is the practice's last active owner and would stop being one (another role, or
    /// deactivated); null when the change keeps an active owner.
    /// </summary>
    public static async Task<Refusal?> RefuseLosingLastOwnerAsync(IQuerySession session, RosterProvider member, StaffRole role, bool active,
        CancellationToken cancellation)
    {
        if (member.Role != StaffRole.Owner || !member.Active || (role == StaffRole.Owner && active)) return null;
        var another = await session.Query<RosterProvider>()
            .AnyAsync(p => p.PracticeId == member.PracticeId && p.Id != member.Id && p.Role == StaffRole.Owner && p.Active, cancellation);
        return another
            ? null
            : Refusal.Conflict(LastOwnerTitle, "Make another member an owner first.").With("code", "last-owner");
    }

    /// <summary>The member as the list shows them.</summary>
    public static MemberView View(RosterProvider member, MemberAccountFacts? facts) => new(
        member.Id, member.Name, member.Email, member.Role, RoleName(member.Role),
        !member.Active ? MemberStatus.Deactivated : facts?.ActivatedAt is null ? MemberStatus.Invited : MemberStatus.Active,
        facts?.LastSignInAt);

    public static async Task<MemberView> ViewAsync(IQuerySession session, RosterProvider member, CancellationToken cancellation) =>
        View(member, await session.LoadAsync<MemberAccountFacts>(member.Id, cancellation));
}
