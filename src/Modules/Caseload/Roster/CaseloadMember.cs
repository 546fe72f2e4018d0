using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;

namespace Portal.Caseload.Roster;

/// <summary>
/// A practice member as the caseload knows them (from <see cref="ProviderRosterChanged"/>): the clinician filter's
/// choices (owners and clinicians, who can be a client's primary) and the check that a filtered-on member is of the
/// viewer's practice.
/// </summary>
public sealed class CaseloadMember
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string Name { get; set; } = string.Empty;
    public StaffRole Role { get; set; }
    public bool Active { get; set; }
    public long Version { get; set; }

    /// <summary>Whether clients can have this member as their primary: the clinical roles.</summary>
    public bool IsClinical => Role is StaffRole.Owner or StaffRole.Clinician;

    public bool Apply(ProviderRosterChanged change)
    {
        if (change.Version < Version) return false;
        Id = change.ProviderId;
        PracticeId = change.PracticeId;
        Name = change.Name;
        Role = change.Role;
        Active = change.Active;
        Version = change.Version;
        return true;
    }
}

/// <summary>Keeps <see cref="CaseloadMember"/> current; a stale or repeated message changes nothing.</summary>
public static class KeepCaseloadMemberHandler
{
    public static async Task Handle(ProviderRosterChanged change, IDocumentSession session, CancellationToken cancellation)
    {
        var member = await EditLock.LoadLockedAsync<CaseloadMember>(session, change.ProviderId, cancellation) ?? new CaseloadMember();
        if (member.Apply(change)) session.Store(member);
    }
}
