namespace Portal.Contracts;

/// <summary>
/// The roster module's current picture of one client, published after every change to it (event-carried state).
/// Modules keep the part they need in their own schema; <see cref="Version"/> only grows, so a stale copy is ignored.
/// </summary>
public sealed record ClientRosterChanged(
    Guid ClientId,
    Guid ProviderId,
    Guid PracticeId,
    string PracticeName,
    string FirstName,
    string LastName,
    string Email,
    DateOnly DateOfBirth,
    bool Eligible,
    bool HasActiveAccount,
    long Version);

/// <summary>The roster module's current picture of one provider, published after every change to it.</summary>
public sealed record ProviderRosterChanged(
    Guid ProviderId,
    Guid PracticeId,
    string PracticeName,
    string Name,
    string Email,
    bool PortalEnabled,
    long Version);
