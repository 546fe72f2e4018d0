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
        Version = change.Version;
        return true;
    }

    /// <summary>
    /// Per-record authorization: the client themselves, the client's own provider, or support. Anyone else is told
    /// the record does not exist, so ids cannot be probed.
    /// </summary>
    public bool IsVisibleTo(CurrentUser user) => IsVisibleTo(user, Id, ProviderId);

    /// <summary>The same rule for a record that is not a card (the roster's own client).</summary>
    public static bool IsVisibleTo(CurrentUser user, Guid clientId, Guid providerId) =>
        user.IsSupport
        || (user.IsClient && user.ClientId == clientId)
        || (user.IsProvider && user.ProviderId == providerId);
}
