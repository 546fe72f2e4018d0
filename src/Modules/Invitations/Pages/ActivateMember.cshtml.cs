using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Members;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

/// <summary>
/// The page a member invitation's link opens: choose a password and land on the console signed in. An expired or used
/// link offers a fresh one instead of a dead end.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class ActivateMemberModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox,
    IDataProtectionProvider protection, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public MemberLinkStatus Status { get; private set; } = new(false, null, null, null, null);

    public string? Message { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Token) || Token.Length > 100)
        {
            await LoadAsync();
            return Page();
        }
        var outcome = await outbox.CommitAsync(session,
            await MemberActivation.ActivateAsync(new ActivateMemberRequest(Token, Password ?? string.Empty), HttpContext, session, clock));
        if (outcome.Succeeded) return LocalRedirect(outcome.Value.RedirectTo);
        await LoadAsync();
        Message = outcome.Problem();
        return Page();
    }

    public async Task<IActionResult> OnPostRenewAsync()
    {
        if (!string.IsNullOrEmpty(Token) && Token.Length <= 100)
            await outbox.CommitAsync(session, await RenewMemberLinkEndpoint.RenewAsync(Token, HttpContext, session, clock, protection, configuration));
        await LoadAsync();
        Message = RenewMemberLinkEndpoint.Answer;
        Status = Status with { Usable = false };
        return Page();
    }

    private async Task LoadAsync() =>
        Status = string.IsNullOrEmpty(Token) || Token.Length > 100
            ? new MemberLinkStatus(false, null, null, null, null)
            : await MemberActivation.CheckAsync(session, Token, clock, HttpContext.RequestAborted);
}
