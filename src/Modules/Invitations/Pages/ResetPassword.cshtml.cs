using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.PasswordReset;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class ResetPasswordModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox,
    IDataProtectionProvider protection) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Token) || Token.Length > 100)
        {
            Message = ResetPasswordEndpoint.LinkNotUsableMessage;
            return Page();
        }
        var request = new ResetPasswordRequest(Token, Password ?? string.Empty);
        var outcome = await outbox.CommitAsync(session, await ResetPasswordEndpoint.ResetAsync(request, HttpContext, session, clock));
        Message = outcome.Problem();
        if (!outcome.Succeeded) return Page();
        JustReset.Remember(HttpContext, protection, outcome.Value!.Id);
        return Redirect("/signin?reset=1");
    }
}
