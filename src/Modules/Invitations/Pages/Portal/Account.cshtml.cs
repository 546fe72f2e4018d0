using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Accounts;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Security;
using Wolverine.Marten;

namespace Portal.Invitations.Pages.Portal;

/// <summary>The client's account page: their login email (change by request), and the optional authenticator app.</summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class AccountModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IDataProtectionProvider protection) : PageModel
{
    [BindProperty]
    public string? NewEmail { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public string Email { get; private set; } = string.Empty;
    public bool TotpEnabled { get; private set; }
    public EmailChangeView? PendingChange { get; private set; }
    public string? Message { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    /// <summary>The last action asks for the second factor again: the page shows the prompt beside the message.</summary>
    public bool StepUpRequired { get; private set; }
    internal AuthenticatorSetup? Setup { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostChangeEmailAsync()
    {
        var user = CurrentUser.From(User)!;
        if (NewEmail is { Length: > 254 })
            Message = "An email address has at most 254 characters.";
        else if (string.IsNullOrWhiteSpace(NewEmail) || !NewEmail.Contains('@'))
            Message = "Enter a valid email address.";
        else
        {
            var outcome = await outbox.CommitAsync(session, await EmailChangeFlow.RequestAsync(NewEmail, user, HttpContext, session, clock));
            Message = outcome.Problem() ?? "Your provider has been asked to approve the change.";
            StepUpRequired = outcome.Refusal?.Extensions?.ContainsKey("stepUpRequired") == true;
        }
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostStartAuthenticatorAsync()
    {
        var outcome = await Authenticator.StartAsync(HttpContext, session, protection, clock);
        if (outcome.Succeeded) Setup = outcome.Value;
        else ShowRefusal(outcome.Refusal);
        await session.SaveChangesAsync();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAuthenticatorAsync()
    {
        var outcome = await Authenticator.ConfirmAsync(Code, HttpContext, session, protection, clock);
        if (outcome.Succeeded) RecoveryCodes = outcome.Value.RecoveryCodes;
        else if (outcome.Refusal.Status == StatusCodes.Status400BadRequest)
        {
            // A wrong code keeps the key the app already has: the same setup again, not a fresh start.
            Message = outcome.Refusal.Messages().First();
            if (await session.LoadAsync<Account>(CurrentUser.From(User)!.UserId) is { } account)
                Setup = Authenticator.Pending(account, protection);
        }
        else ShowRefusal(outcome.Refusal);
        await session.SaveChangesAsync();
        await LoadAsync();
        return Page();
    }

    /// <summary>A refusal in words; a step-up refusal also shows the inline "confirm it's you" prompt.</summary>
    private void ShowRefusal(Refusal refusal)
    {
        Message = refusal.Messages().First();
        StepUpRequired = refusal.Extensions?.ContainsKey("stepUpRequired") == true;
    }

    private async Task LoadAsync()
    {
        var user = CurrentUser.From(User)!;
        var account = await session.LoadAsync<Account>(user.UserId);
        Email = account?.Email ?? string.Empty;
        TotpEnabled = account?.TotpEnabled ?? false;
        PendingChange = (await ListEmailChangesEndpoint.ForAsync(user, session, null))
            .FirstOrDefault(c => c.Status is "AwaitingProvider" or "AwaitingConfirmation");
    }
}
