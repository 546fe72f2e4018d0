using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Activation;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

/// <summary>The page the invitation link opens. An expired or used link offers a fresh one instead of a dead end.</summary>
[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class ActivateModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection,
    IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Token { get; set; } = string.Empty;

    [BindProperty]
    public DateOnly? DateOfBirth { get; set; }

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public bool Usable { get; private set; }
    public string? FirstName { get; private set; }
    public string? PracticeName { get; private set; }
    public string? Message { get; private set; }

    /// <summary>A contact's link: whom they will act for, and whether their email already has a login.</summary>
    public string? ActingFor { get; private set; }
    public bool HasLogin { get; private set; }

    /// <summary>Set when the link was closed after wrong dates of birth: the page says so instead of offering a fresh link.</summary>
    public string? BlockedMessage { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (DateOfBirth is null || string.IsNullOrEmpty(Token))
        {
            Message = "Enter your date of birth.";
            await LoadAsync();
            return Page();
        }

        var request = new ActivateAccountRequest(Token, DateOfBirth.Value, Password ?? string.Empty);
        var outcome = await outbox.CommitAsync(session, await ActivationFlow.ActivateAsync(request, HttpContext, session, clock));
        // Activation ends signed in, on the portal home with the tasks in front of them.
        if (outcome.Succeeded)
            return Redirect(await SignInAfterActivation.StartAsync(outcome.Value.AccountId, HttpContext, session, clock)
                ? "/portal?activated=1" : "/signin?activated=1");
        await LoadAsync();
        Message = BlockedMessage is null ? outcome.Problem() : null;
        return Page();
    }

    public async Task<IActionResult> OnPostRenewAsync()
    {
        if (!string.IsNullOrEmpty(Token))
        {
            await outbox.CommitAsync(session,
                await RequestFreshLinkEndpoint.RenewAsync(Token, HttpContext, session, clock, protection, configuration));
        }
        await LoadAsync();
        Message = BlockedMessage is null ? RequestFreshLinkEndpoint.Answer : null;
        Usable = false;
        return Page();
    }

    private async Task LoadAsync()
    {
        var status = string.IsNullOrEmpty(Token) || Token.Length > 100
            ? new ActivationLinkStatus(false, null, null, null)
            : await CheckActivationLinkEndpoint.CheckAsync(session, Token, clock);
        Usable = status.Usable;
        BlockedMessage = status.BlockedMessage;
        FirstName = status.FirstName;
        PracticeName = status.PracticeName;
        ActingFor = status.ActingFor;
        HasLogin = status.HasLogin;
    }
}
