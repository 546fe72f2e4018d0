using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Invitations.SignIn;

/// <summary>Ends the session: the host ends its server-side record (no copy of the cookie works after) and removes the cookie.</summary>
public static class SignOutEndpoint
{
    [WolverinePost("/api/account/sign-out")]
    [AllowAnonymous]
    public static async Task<IResult> Post(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }
}
