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
    long Version)
{
    /// <summary>
    /// The practice members on the client's care team besides the primary clinician (<see cref="ProviderId"/>): they
    /// see the client as the primary does.
    /// </summary>
    public IReadOnlyList<Guid> CareTeam { get; init; } = [];

    /// <summary>The client was discharged: portal access is closed and nothing new is asked of them until re-opened.</summary>
    public bool Discharged { get; init; }

    /// <summary>When the client was discharged, while <see cref="Discharged"/> (null otherwise).</summary>
    public DateTimeOffset? DischargedAt { get; init; }

    /// <summary>The language the client reads the portal and its emails in ("en", "es"): set by the practice, changed by the client.</summary>
    public string Language { get; init; } = "en";

    /// <summary>How the client pays the practice: through insurance or self-pay; null until the practice says.</summary>
    public ClientBilling? Billing { get; init; }
}

/// <summary>How a client pays: workflow conditions and triggers read it ("insurance only for clients who bill insurance").</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ClientBillingJson))]
public enum ClientBilling
{
    SelfPay,
    Insurance,
}

/// <summary>"selfPay" and "insurance" in every JSON: requests, responses, stored documents and messages alike.</summary>
public sealed class ClientBillingJson()
    : System.Text.Json.Serialization.JsonStringEnumConverter<ClientBilling>(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false);

/// <summary>
/// The roster module's current picture of one practice member (a "provider" in the message names: every member,
/// whatever their role), published after every change to it.
/// </summary>
public sealed record ProviderRosterChanged(
    Guid ProviderId,
    Guid PracticeId,
    string PracticeName,
    string Name,
    string Email,
    bool PortalEnabled,
    long Version)
{
    /// <summary>What the member does in the practice; it decides which data and actions are theirs.</summary>
    public StaffRole Role { get; init; } = StaffRole.Clinician;

    /// <summary>False once an owner deactivated the member: they cannot sign in and their sessions are ended.</summary>
    public bool Active { get; init; } = true;
}

/// <summary>
/// A practice member's role. Owners manage members, workflows and settings and see every client; clinicians see their
/// own clients and those whose care team they are on; front desk adds clients, requests tasks and sees task status and
/// access, never clinical content; billers handle insurance and autopay, never clinical content.
/// </summary>
public enum StaffRole
{
    Owner,
    Clinician,
    FrontDesk,
    Biller,
}
