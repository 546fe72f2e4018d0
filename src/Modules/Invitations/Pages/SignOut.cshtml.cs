using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Invitations.Pages;

/// <summary>
/// A GET shows who is signed in and the button (a link or a prefetch must never sign anyone out); only the POST,
/// with its antiforgery token, signs out: the host ends the server-side session, so no copy of the cookie works after.
/// "You are signed out" shows only when the request indeed has no session.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel : PageModel
{
    public string? SignedInAs { get; private set; }

    public void OnGet() => SignedInAs = CurrentUser.From(User)?.DisplayName;

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage();
    }
}
