using Portal.Contracts;

namespace Portal.Practice.Roster;

/// <summary>A practice: a group of providers working under one name.</summary>
public sealed class RosterPractice
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A provider of a practice. <see cref="PortalEnabled"/> is the eligibility switch support turns on.</summary>
public sealed class RosterProvider
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public bool PortalEnabled { get; set; }
    public long Version { get; set; }

    /// <summary>A new provider of <paramref name="practice"/>; the portal stays off for them until support switches it on.</summary>
    public static RosterProvider New(RosterPractice practice, string name, string normalizedEmail) => new()
    {
        Id = Guid.CreateVersion7(),
        PracticeId = practice.Id,
        PracticeName = practice.Name,
        Name = name.Trim(),
        Email = normalizedEmail,
    };

    public ProviderRosterChanged Changed()
    {
        Version++;
        return new ProviderRosterChanged(Id, PracticeId, PracticeName, Name, Email, PortalEnabled, Version);
    }
}

/// <summary>
/// A client of one provider. Eligibility follows the provider's switch unless support set a per-client override.
/// The email is the client's login email once they have an account: only the email change flow changes it.
/// </summary>
public sealed class RosterClient
{
    public Guid Id { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string FirstName { get; set; } = string.Empty;
    public string LastName { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public DateOnly DateOfBirth { get; set; }
    public bool? EligibilityOverride { get; set; }
    public bool ProviderPortalEnabled { get; set; }
    public bool HasActiveAccount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long Version { get; set; }

    public bool Eligible => EligibilityOverride ?? ProviderPortalEnabled;

    public ClientRosterChanged Changed()
    {
        Version++;
        return new ClientRosterChanged(Id, ProviderId, PracticeId, PracticeName, FirstName, LastName, Email, DateOfBirth,
            Eligible, HasActiveAccount, Version);
    }
}

internal static class EmailAddress
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
