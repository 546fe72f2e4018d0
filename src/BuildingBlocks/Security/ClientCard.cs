using System.Text.Json.Serialization;
using Portal.Contracts;

namespace Portal.BuildingBlocks.Security;

/// <summary>
/// A module's own copy of the roster facts it needs about one client: who their provider is, and whether they
/// have an active portal account. Each module derives a sealed document type from this (so it lives in the module's
/// schema) and keeps it current from <see cref="ClientRosterChanged"/>; it never reads the roster's tables.
/// </summary>
public abstract class ClientCard
{
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string FirstName { get; set; } = string.Empty;
    public string LastName { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public bool Eligible { get; set; }
    public bool HasActiveAccount { get; set; }
    public long Version { get; set; }
    /// <summary>Practice members on the care team besides the primary clinician (<see cref="ProviderId"/>).</summary>
    public List<Guid> CareTeam { get; set; } = [];
    public bool Discharged { get; set; }
    /// <summary>When the client was discharged, while <see cref="Discharged"/>.</summary>
    public DateTimeOffset? DischargedAt { get; set; }
    /// <summary>The language the client reads the portal and its emails in ("en", "es").</summary>
    public string Language { get; set; } = Localization.PortalLanguages.Default;
    public DateOnly DateOfBirth { get; set; }
    /// <summary>Insurance or self-pay; null until the practice says.</summary>
    public ClientBilling? Billing { get; set; }

    /// <summary>Derived, so not stored: every module reads its cards often.</summary>
    [JsonIgnore]
    public string DisplayName => $"{FirstName} {LastName}".Trim();

    /// <summary>Copies a roster change onto this card; false when the change is older than what the card holds.</summary>
    public bool Apply(ClientRosterChanged change)
    {
        if (change.Version < Version) return false;
        Id = change.ClientId;
        ProviderId = change.ProviderId;
        PracticeId = change.PracticeId;
        PracticeName = change.PracticeName;
        FirstName = change.FirstName;
        LastName = change.LastName;
        Email = change.Email;
        Eligible = change.Eligible;
        HasActiveAccount = change.HasActiveAccount;
        CareTeam = [.. change.CareTeam];
        Discharged = change.Discharged;
        DischargedAt = change.DischargedAt;
        Language = change.Language;
        DateOfBirth = change.DateOfBirth;
        Billing = change.Billing;
        Version = change.Version;
        return true;
    }

    /// <summary>
    /// Per-record authorization: the client themselves; a member of the client's practice who is its owner, front desk
    /// or biller, or a clinician who is the client's primary or on their care team; or support. Anyone else is told the
    /// record does not exist, so ids cannot be probed. What of the record a member sees is their role's (the policies).
    /// </summary>
    public bool IsVisibleTo(CurrentUser user) => IsVisibleTo(user, Id, PracticeId, ProviderId, CareTeam);

    /// <summary>The same rule for a record that is not a card (the roster's own client).</summary>
    public static bool IsVisibleTo(CurrentUser user, Guid clientId, Guid practiceId, Guid providerId, IReadOnlyCollection<Guid> careTeam) =>
        user.IsSupport
        || (user.IsClient && user.ClientId == clientId)
        || (user.IsProvider && user.PracticeId == practiceId && user.StaffRole is { } role
            && (role != StaffRole.Clinician || user.ProviderId == providerId
                || (user.ProviderId is { } memberId && careTeam.Contains(memberId))));

    /// <summary>Whether <paramref name="user"/> is this client's primary clinician or on their care team.</summary>
    public bool IsOnCareTeam(CurrentUser user) =>
        user.IsProvider && user.ProviderId is { } memberId && (memberId == ProviderId || CareTeam.Contains(memberId));
}

/// <summary>The card rule (<see cref="ClientCard.IsVisibleTo(CurrentUser)"/>) as a query filter for lists.</summary>
public static class ClientCardQueries
{
    /// <summary>
    /// The cards <paramref name="user"/> may see: every card for support, the practice's for an owner, front desk or
    /// biller, a clinician's own and their care teams' clients; nothing for anyone else.
    /// </summary>
    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> cards, CurrentUser user) where T : ClientCard
    {
        if (user.IsSupport) return cards;
        if (!user.IsProvider || user.PracticeId is not { } practiceId || user.ProviderId is not { } memberId)
            return cards.Where(c => c.Id == Guid.Empty);
        var inPractice = cards.Where(c => c.PracticeId == practiceId);
        return user.StaffRole == StaffRole.Clinician
            ? inPractice.Where(c => c.ProviderId == memberId || c.CareTeam.Contains(memberId))
            : inPractice;
    }
}
