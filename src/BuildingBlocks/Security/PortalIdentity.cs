using System.Security.Claims;
using Portal.Contracts;

namespace Portal.BuildingBlocks.Security;

public static class PortalRoles
{
    public const string Client = "client";
    public const string Provider = "provider";
    public const string Support = "support";
}

/// <summary>
/// Authorization policy names; every module endpoint names one of these. A practice member passes a policy by their
/// <see cref="StaffRole"/> (the role matrix in ARCHITECTURE.md); which records they see is the card's rule
/// (<see cref="ClientCard.IsVisibleTo(CurrentUser)"/>).
/// </summary>
public static class PortalPolicies
{
    public const string Client = "client";
    /// <summary>A clinical member: owner or clinician (clinical content, documents, forms, workflows, safety).</summary>
    public const string Provider = "provider";
    /// <summary>Owner, clinician or front desk: the roster, invitations and access, requesting and following tasks.</summary>
    public const string FrontOffice = "front-office";
    /// <summary>Owner, clinician or biller: insurance and autopay.</summary>
    public const string Billing = "billing";
    /// <summary>Any active member of a practice: the dashboard, the client list, a client's profile, notifications.</summary>
    public const string PracticeMember = "practice-member";
    /// <summary>The practice's owner: members, roles and settings.</summary>
    public const string Owner = "owner";
    public const string Support = "support";
    /// <summary>A clinical member or support (support sees health information only under a break-glass grant).</summary>
    public const string Staff = "staff";
    /// <summary>Any practice member or support.</summary>
    public const string PracticeMemberOrSupport = "practice-member-or-support";
    /// <summary>Owner, clinician, front desk or support.</summary>
    public const string FrontOfficeOrSupport = "front-office-or-support";
    /// <summary>Owner, clinician, biller or support.</summary>
    public const string BillingOrSupport = "billing-or-support";

    /// <summary>The practice roles each policy admits (support is admitted by the policies that name it).</summary>
    public static IReadOnlyList<StaffRole> RolesOf(string policy) => policy switch
    {
        Provider or Staff => [StaffRole.Owner, StaffRole.Clinician],
        FrontOffice or FrontOfficeOrSupport => [StaffRole.Owner, StaffRole.Clinician, StaffRole.FrontDesk],
        Billing or BillingOrSupport => [StaffRole.Owner, StaffRole.Clinician, StaffRole.Biller],
        PracticeMember or PracticeMemberOrSupport => [StaffRole.Owner, StaffRole.Clinician, StaffRole.FrontDesk, StaffRole.Biller],
        Owner => [StaffRole.Owner],
        _ => [],
    };

    /// <summary>Whether the policy admits support.</summary>
    public static bool AdmitsSupport(string policy) =>
        policy is Support or Staff or PracticeMemberOrSupport or FrontOfficeOrSupport or BillingOrSupport;

    /// <summary>Every policy that admits practice members.</summary>
    public static readonly IReadOnlyList<string> MemberPolicies =
        [Provider, FrontOffice, Billing, PracticeMember, Owner, Staff, PracticeMemberOrSupport, FrontOfficeOrSupport, BillingOrSupport];
}

public static class PortalClaims
{
    public const string UserId = "portal:user";
    public const string ClientId = "portal:client";
    public const string ProviderId = "portal:provider";
    public const string PracticeId = "portal:practice";
    /// <summary>A practice member's <see cref="StaffRole"/>; a role change ends the member's sessions, so it is never stale.</summary>
    public const string StaffRole = "portal:staff-role";
    public const string DisplayName = "portal:name";
    public const string SessionStarted = "portal:session-started";
    /// <summary>The id of the server-side session record (see <see cref="ISignInSessions"/>); random, one per sign-in.</summary>
    public const string SessionId = "portal:sid";
    /// <summary>As whom a client's login acts for the cookie's client: "self", or the contact's relationship ("Parent").</summary>
    public const string ActingAs = "portal:acting-as";
    /// <summary>The display name of the client record acted for (the switcher's "You are acting for").</summary>
    public const string ActingForName = "portal:acting-for";
    /// <summary>What a contact may do for the record, comma-separated (<see cref="MayCompleteTasks"/> and the others).</summary>
    public const string ContactMay = "portal:contact-may";
    public const string MayCompleteTasks = "tasks";
    public const string MaySeeResults = "results";
    public const string MayReceiveEmails = "emails";
    /// <summary>For a parent or guardian: the day the client reaches the practice's own-login age (yyyy-MM-dd).</summary>
    public const string GuardianOnlyFrom = "portal:guardian-only-from";
    /// <summary>The task kinds a parent or guardian still completes from that day, comma-separated.</summary>
    public const string GuardianCompletes = "portal:guardian-completes";
    /// <summary>
    /// When this session last proved a second factor (TOTP, recovery code or passkey), unix seconds; absent after a
    /// password alone. Staff need it before client data, and sensitive actions ask again after ten minutes.
    /// </summary>
    public const string SecondFactorAt = "portal:mfa-at";
    /// <summary>
    /// Set only on a bearer token's principal: the API client (another system of the practice) acting, by its id. It is
    /// treated as an owner of its practice by the card rule, but passes no role policy: its scopes decide which
    /// routes it reaches (Integrations' <c>ApiScopes</c>), and no human sign-in rule (second factor) applies to it.
    /// </summary>
    public const string ApiClient = "portal:api-client";
    /// <summary>Set ("1") on a client's cookie when their practice requires a second factor for clients.</summary>
    public const string SecondFactorRequired = "portal:mfa-required";
}

/// <summary>The signed-in person, as the cookie describes them.</summary>
public sealed record CurrentUser(string Role, Guid UserId, string DisplayName, Guid? ClientId, Guid? ProviderId, Guid? PracticeId,
    StaffRole? StaffRole = null)
{
    public bool IsClient => Role == PortalRoles.Client;
    /// <summary>A practice member, whatever their <see cref="StaffRole"/>.</summary>
    public bool IsProvider => Role == PortalRoles.Provider;
    public bool IsSupport => Role == PortalRoles.Support;

    /// <summary>The practice's owner.</summary>
    public bool IsOwner => IsProvider && StaffRole == Contracts.StaffRole.Owner;

    /// <summary>A member who may see clinical content (answers, scores, signed contents, safety flags): owner or clinician.</summary>
    public bool IsClinical => IsProvider && StaffRole is Contracts.StaffRole.Owner or Contracts.StaffRole.Clinician;

    /// <summary>A member who may see insurance and autopay: owner, clinician or biller.</summary>
    public bool HandlesBilling => IsProvider && StaffRole is Contracts.StaffRole.Owner or Contracts.StaffRole.Clinician or Contracts.StaffRole.Biller;

    /// <summary>A member who may add clients, invite them and request and follow tasks: owner, clinician or front desk.</summary>
    public bool HandlesFrontOffice => IsProvider && StaffRole is Contracts.StaffRole.Owner or Contracts.StaffRole.Clinician or Contracts.StaffRole.FrontDesk;

    /// <summary>Whether a policy admits this person (the same rule the host's authorization policies apply).</summary>
    public bool Passes(string policy) =>
        ApiClientId is null && policy switch
        {
            PortalPolicies.Client => IsClient,
            PortalPolicies.Support => IsSupport,
            _ => (IsSupport && PortalPolicies.AdmitsSupport(policy))
                 || (IsProvider && StaffRole is { } role && PortalPolicies.RolesOf(policy).Contains(role)),
        };

    /// <summary>As whom a client's login acts for <see cref="ClientId"/>: "self", or a contact's relationship; null for staff.</summary>
    public string? ActingAs { get; init; }

    /// <summary>The display name of the record acted for.</summary>
    public string? ActingForName { get; init; }

    /// <summary>What a contact may do for the record (<see cref="PortalClaims.MayCompleteTasks"/> and the others).</summary>
    public IReadOnlyCollection<string> ContactMay { get; init; } = [];

    /// <summary>A client's login acting for another person's record (a parent for a child, a partner).</summary>
    public bool IsContact => IsClient && ActingAs is { } actingAs && actingAs != SelfActing;

    public const string SelfActing = "self";

    /// <summary>The client themselves, or a contact allowed to complete tasks for the record.</summary>
    public bool MayCompleteTasks => IsClient && (!IsContact || ContactMay.Contains(PortalClaims.MayCompleteTasks));

    /// <summary>The client themselves, or a contact allowed to see results (scores, answers) of the record.</summary>
    public bool MaySeeResults => IsClient && (!IsContact || ContactMay.Contains(PortalClaims.MaySeeResults));

    /// <summary>For a parent or guardian: from this day the client is old enough for their own login (the practice's age).</summary>
    public DateOnly? GuardianOnlyFrom { get; init; }

    /// <summary>The API client acting through a bearer token (<see cref="PortalClaims.ApiClient"/>); null for a person.</summary>
    public Guid? ApiClientId { get; init; }

    public bool IsApiClient => ApiClientId is not null;

    /// <summary>When this session last proved a second factor; null after a password alone.</summary>
    public DateTimeOffset? SecondFactorAt { get; init; }

    /// <summary>A client whose practice requires a second factor (staff always need one: <see cref="SecondFactor"/>).</summary>
    public bool SecondFactorRequired { get; init; }

    /// <summary>What a parent or guardian still completes from <see cref="GuardianOnlyFrom"/>.</summary>
    public IReadOnlyCollection<TaskKind> GuardianCompletes { get; init; } = [];

    /// <summary>
    /// Whether this contact may complete a task of <paramref name="kind"/> for the record on <paramref name="today"/>:
    /// "complete tasks", and, for a minor at or over the practice's own-login age, a kind the guardian still completes.
    /// </summary>
    public bool MayComplete(TaskKind kind, DateOnly today) =>
        MayCompleteTasks && (GuardianOnlyFrom is not { } from || today < from || GuardianCompletes.Contains(kind));

    /// <summary>The contact's relationship in words ("parent"), or null when acting for oneself.</summary>
    public string? Relationship => IsContact && Enum.TryParse<ContactRelationship>(ActingAs, out var relationship)
        ? ContactRelationships.Describe(relationship)
        : null;

    /// <summary>Who acted, as records name them: "Jane Doe, parent of Sam Doe" for a contact, else the display name.</summary>
    public string ActorName => Relationship is { } relationship ? $"{DisplayName}, {relationship} of {ActingForName}" : DisplayName;

    public Actor AsActor() => new(Role switch
    {
        PortalRoles.Client => ActorKind.Client,
        PortalRoles.Provider => ActorKind.Provider,
        _ => ActorKind.Support,
    }, UserId, ActorName)
    {
        ContactName = Relationship is null ? null : DisplayName,
        Relationship = Relationship,
    };

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (role is null || !Guid.TryParse(principal.FindFirstValue(PortalClaims.UserId), out var userId)) return null;
        return new CurrentUser(role, userId,
            principal.FindFirstValue(PortalClaims.DisplayName) ?? string.Empty,
            GuidClaim(principal, PortalClaims.ClientId),
            GuidClaim(principal, PortalClaims.ProviderId),
            GuidClaim(principal, PortalClaims.PracticeId),
            Enum.TryParse<StaffRole>(principal.FindFirstValue(PortalClaims.StaffRole), out var staffRole) ? staffRole : null)
        {
            ApiClientId = GuidClaim(principal, PortalClaims.ApiClient),
            ActingAs = principal.FindFirstValue(PortalClaims.ActingAs),
            ActingForName = principal.FindFirstValue(PortalClaims.ActingForName),
            ContactMay = principal.FindFirstValue(PortalClaims.ContactMay)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [],
            GuardianOnlyFrom = DateOnly.TryParseExact(principal.FindFirstValue(PortalClaims.GuardianOnlyFrom), "yyyy-MM-dd",
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from) ? from : null,
            SecondFactorAt = long.TryParse(principal.FindFirstValue(PortalClaims.SecondFactorAt), out var mfaAt)
                ? DateTimeOffset.FromUnixTimeSeconds(mfaAt)
                : null,
            SecondFactorRequired = principal.FindFirstValue(PortalClaims.SecondFactorRequired) == "1",
            GuardianCompletes = [.. (principal.FindFirstValue(PortalClaims.GuardianCompletes) ?? string.Empty)
                .Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(k => Enum.TryParse<TaskKind>(k, out var kind) ? kind : (TaskKind?)null).OfType<TaskKind>()],
        };
    }

    private static Guid? GuidClaim(ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var value) ? value : null;
}
