using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.PasswordReset;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class ForgotPasswordModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection,
    IConfiguration configuration) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = string.Empty;

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!string.IsNullOrWhiteSpace(Email) && Email.Length <= 254)
        {
            await outbox.CommitAsync(session,
                await RequestPasswordResetEndpoint.RequestAsync(Email, HttpContext, session, clock, protection, configuration));
        }
        Message = RequestPasswordResetEndpoint.Answer;
        return Page();
    }
}
