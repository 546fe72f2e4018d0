using Portal.BuildingBlocks.Localization;
using Portal.Contracts;

namespace Portal.Practice.Roster;

/// <summary>A practice: a group of providers working under one name.</summary>
public sealed class RosterPractice
{
    public Guid Id { get; set; }
    public string Name { get; set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>From this age a minor gets their own login (the owner's setting; 13 unless changed).</summary>
    public int MinorOwnLoginFromAge { get; set; } = DefaultMinorOwnLoginFromAge;
    /// <summary>What a parent or guardian still completes for a minor at or over that age.</summary>
    public List<TaskKind> GuardianCompletes { get; set; } = [.. DefaultGuardianCompletes];
    public long MinorsPolicyVersion { get; set; }
    /// <summary>The name clients see (portal, sign-in pages, emails); null until the owner chose one: <see cref="Name"/>.</summary>
    public string? DisplayName { get; set; }
    /// <summary>The practice's IANA time zone: its people read dates in it unless they chose their own.</summary>
    public string TimeZone { get; set; } = Portal.BuildingBlocks.Time.PortalTime.DefaultZoneId;
    /// <summary>The accent colour of its pages and emails, "#rrggbb", readable under white text.</summary>
    public string AccentColor { get; set; } = DefaultAccentColor;
    /// <summary>The current logo's content hash (it versions the logo's address), or null without a logo.</summary>
    public string? LogoVersion { get; set; }
    public long LookVersion { get; set; }

    public string ShownName => string.IsNullOrWhiteSpace(DisplayName) ? Name : DisplayName;

    public const string DefaultAccentColor = "#1f5f8b";

    public const int DefaultMinorOwnLoginFromAge = 13;
    public static readonly IReadOnlyList<TaskKind> DefaultGuardianCompletes = [TaskKind.AddInsurance, TaskKind.EnrollInAutopay, TaskKind.SignDocument];
}

/// <summary>
/// A member of a practice ("provider" in the roster's names, whatever their <see cref="Role"/>). For clinicians
/// <see cref="PortalEnabled"/> is the eligibility switch support turns on for their clients.
/// </summary>
public sealed class RosterProvider
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public bool PortalEnabled { get; set; }
    public StaffRole Role { get; set; } = StaffRole.Clinician;
    /// <summary>False once deactivated: the member cannot sign in and sees nothing.</summary>
    public bool Active { get; set; } = true;
    public long Version { get; set; }

    /// <summary>A new member of <paramref name="practice"/>; the portal stays off for them until support switches it on.</summary>
    public static RosterProvider New(RosterPractice practice, string name, string normalizedEmail, StaffRole role = StaffRole.Clinician) => new()
    {
        Id = Guid.CreateVersion7(),
        PracticeId = practice.Id,
        PracticeName = practice.Name,
        Name = name.Trim(),
        Email = normalizedEmail,
        Role = role,
    };

    public ProviderRosterChanged Changed()
    {
        Version++;
        return new ProviderRosterChanged(Id, PracticeId, PracticeName, Name, Email, PortalEnabled, Version) { Role = Role, Active = Active };
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
    /// <summary>Members on the care team besides the primary clinician (<see cref="ProviderId"/>).</summary>
    public List<Guid> CareTeam { get; set; } = [];
    public bool Discharged { get; set; }
    /// <summary>The last discharge, kept after a re-open so the record tells its history (see Lifecycle).</summary>
    public Lifecycle.Discharge? LastDischarge { get; set; }
    /// <summary>The language the client reads the portal and its emails in (<see cref="PortalLanguages"/>).</summary>
    public string Language { get; set; } = PortalLanguages.Default;
    /// <summary>Insurance or self-pay; null until the practice says. Workflow conditions and triggers read it.</summary>
    public ClientBilling? Billing { get; set; }
    public long Version { get; set; }

    /// <summary>A discharged client is never eligible: the portal closes and nothing new is asked of them.</summary>
    public bool Eligible => !Discharged && (EligibilityOverride ?? ProviderPortalEnabled);

    public ClientRosterChanged Changed()
    {
        Version++;
        return new ClientRosterChanged(Id, ProviderId, PracticeId, PracticeName, FirstName, LastName, Email, DateOfBirth,
            Eligible, HasActiveAccount, Version) {
            CareTeam = [.. CareTeam], Discharged = Discharged, DischargedAt = Discharged ? LastDischarge?.At : null,
            Language = Language, Billing = Billing,
        };
    }
}

internal static class EmailAddress
{
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
