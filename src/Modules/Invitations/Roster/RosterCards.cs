namespace Portal.Invitations.Roster;

/// <summary>This module's copy of a client's roster facts (the date of birth that activation checks is on the card).</summary>
public sealed class InvitationsClient : ClientCard;

/// <summary>This module's copy of a provider's roster facts.</summary>
public sealed class InvitationsProvider
{
    public Guid Id { get; set; }
    public Guid PracticeId { get; set; }
    public string PracticeName { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public string Email { get; set; } = string.Empty;
    public bool PortalEnabled { get; set; }
    public StaffRole Role { get; set; } = StaffRole.Clinician;
    /// <summary>False once an owner deactivated the member.</summary>
    public bool Active { get; set; } = true;
    public long Version { get; set; }
}
