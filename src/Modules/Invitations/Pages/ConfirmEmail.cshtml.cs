using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

/// <summary>The link to the new address opens this page; confirming is a POST, so a mail scanner opening it changes nothing.</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class ConfirmEmailModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = string.Empty;

    public bool Done { get; private set; }
    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Token) || Token.Length > 100)
        {
            Message = ConfirmEmailChangeEndpoint.LinkNotUsableMessage;
            return Page();
        }
        var outcome = await outbox.CommitAsync(session, await ConfirmEmailChangeEndpoint.ConfirmAsync(Token, HttpContext, session, clock));
        Message = outcome.Problem();
        Done = outcome.Succeeded;
        return Page();
    }
}
