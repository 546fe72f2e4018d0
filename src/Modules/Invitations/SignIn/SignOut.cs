using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Portal.Invitations.SignIn;

/// <summary>Ends the session: the cookie is removed.</summary>
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
