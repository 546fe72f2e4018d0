using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

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
