using System.Security.Claims;

namespace Portal.Invitations.SignIn;

public sealed record Me(Guid UserId, string Role, string DisplayName, Guid? ClientId, Guid? ProviderId, Guid? PracticeId,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StaffRole>))]
    StaffRole? StaffRole);

/// <summary>Who the session belongs to.</summary>
public static class MeEndpoint
{
    [WolverineGet("/api/account/me")]
    [Authorize]
    public static Me Get(ClaimsPrincipal principal)
    {
        var user = CurrentUser.From(principal)!;
        return new Me(user.UserId, user.Role, user.DisplayName, user.ClientId, user.ProviderId, user.PracticeId, user.StaffRole);
    }
}
