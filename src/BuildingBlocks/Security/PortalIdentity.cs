using System.Security.Claims;
using Portal.Contracts;

namespace Portal.BuildingBlocks.Security;

public static class PortalRoles
{
    public const string Client = "client";
    public const string Provider = "provider";
    public const string Support = "support";
}

/// <summary>Authorization policy names; every module endpoint names one of these.</summary>
public static class PortalPolicies
{
    public const string Client = "client";
    public const string Provider = "provider";
    public const string Support = "support";
    /// <summary>A provider or support staff.</summary>
    public const string Staff = "staff";
}

public static class PortalClaims
{
    public const string UserId = "portal:user";
    public const string ClientId = "portal:client";
    public const string ProviderId = "portal:provider";
    public const string PracticeId = "portal:practice";
    public const string DisplayName = "portal:name";
    public const string SessionStarted = "portal:session-started";
    /// <summary>The id of the server-side session record (see <see cref="ISignInSessions"/>); random, one per sign-in.</summary>
    public const string SessionId = "portal:sid";
}

/// <summary>The signed-in person, as the cookie describes them.</summary>
public sealed record CurrentUser(string Role, Guid UserId, string DisplayName, Guid? ClientId, Guid? ProviderId, Guid? PracticeId)
{
    public bool IsClient => Role == PortalRoles.Client;
    public bool IsProvider => Role == PortalRoles.Provider;
    public bool IsSupport => Role == PortalRoles.Support;

    public Actor AsActor() => new(Role switch
    {
        PortalRoles.Client => ActorKind.Client,
        PortalRoles.Provider => ActorKind.Provider,
        _ => ActorKind.Support,
    }, UserId, DisplayName);

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (role is null || !Guid.TryParse(principal.FindFirstValue(PortalClaims.UserId), out var userId)) return null;
        return new CurrentUser(role, userId,
            principal.FindFirstValue(PortalClaims.DisplayName) ?? string.Empty,
            GuidClaim(principal, PortalClaims.ClientId),
            GuidClaim(principal, PortalClaims.ProviderId),
            GuidClaim(principal, PortalClaims.PracticeId));
    }

    private static Guid? GuidClaim(ClaimsPrincipal principal, string type) =>
        Guid.TryParse(principal.FindFirstValue(type), out var value) ? value : null;
}
