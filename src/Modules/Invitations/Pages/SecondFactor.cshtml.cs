using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.Accounts;
using Portal.Invitations.Security;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

/// <summary>
/// The second factor of one's own login, for every role: enrol an authenticator app (or go to passkeys), see the
/// recovery codes once, prove the factor again (the gate and the step-up prompts come here) and renew the codes.
/// Open to any signed-in person, so the gate never holds it; the work is the slices' (<see cref="Authenticator"/>,
/// <see cref="SecondFactorProof"/>, <see cref="RecoveryCodes"/>), as the JSON endpoints do it.
/// </summary>
[Authorize]
public sealed class SecondFactorModel(IDocumentSession session, TimeProvider clock, IDataProtectionProvider protection, IMartenOutbox outbox)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public bool IsStaff { get; private set; }
    public bool TotpEnabled { get; private set; }
    public int PasskeyCount { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public bool HasSecondFactor { get; private set; }
    /// <summary>This session proved the factor (sign-in with a code, a passkey, an enrolment or a step-up).</summary>
    public bool Proved { get; private set; }
    public bool Fresh { get; private set; }
    public bool Required { get; private set; }
    public string? Message { get; private set; }
    /// <summary>The message is a refusal (shown as an error), not a confirmation.</summary>
    public bool Refused { get; private set; }
    public IReadOnlyList<string>? RecoveryCodesShown { get; private set; }
    internal AuthenticatorSetup? Setup { get; private set; }

    /// <summary>Where "Continue" leads: the page the person was going to, or their home.</summary>
    public string Next { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostStartAsync()
    {
        var outcome = await Authenticator.StartAsync(HttpContext, session, protection, clock);
        if (outcome.Succeeded) Setup = outcome.Value;
        else (Message, Refused) = (outcome.Refusal.Title, true);
        await session.SaveChangesAsync();
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        var outcome = await Authenticator.ConfirmAsync(Code, HttpContext, session, protection, clock);
        if (outcome.Succeeded) RecoveryCodesShown = outcome.Value.RecoveryCodes;
        else
        {
            (Message, Refused) = (outcome.Refusal.Messages().First(), true);
            // A wrong code keeps the key the app already has: the same setup again, not a fresh start.
            if (await session.LoadAsync<Account>(CurrentUser.From(User)!.UserId) is { } account)
                Setup = Authenticator.Pending(account, protection);
        }
        await session.SaveChangesAsync();
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostStepUpAsync()
    {
        var (outcome, messages) = await SecondFactorProof.StepUpAsync(Code, HttpContext, session, clock, protection);
        await outbox.CommitAsync(session, messages);
        if (outcome.Succeeded && LocalReturn() is { } back) return LocalRedirect(back);
        Message = outcome.Succeeded ? "Thank you: that's confirmed for the next 10 minutes." : outcome.Refusal.Messages().First();
        Refused = !outcome.Succeeded;
        if (!outcome.Succeeded && outcome.Refusal.Status == StatusCodes.Status429TooManyRequests) Response.StatusCode = 429;
        return await LoadAsync() ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var outcome = await RecoveryCodes.RenewAsync(HttpContext, session, clock);
        if (outcome.Succeeded) RecoveryCodesShown = outcome.Value.RecoveryCodes;
        else (Message, Refused) = (outcome.Refusal.Title, true);
        await session.SaveChangesAsync();
        return await LoadAsync() ? Page() : NotFound();
    }

    private string? LocalReturn() => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) && !url.StartsWith(SecondFactor.EnrolPath, StringComparison.OrdinalIgnoreCase)
        ? url
        : null;

    private async Task<bool> LoadAsync()
    {
        var user = CurrentUser.From(User)!;
        var account = await session.LoadAsync<Account>(user.UserId);
        if (account is null) return false;
        IsStaff = user.IsProvider || user.IsSupport;
        Required = SecondFactor.IsRequiredFor(user);
        TotpEnabled = account.TotpEnabled;
        PasskeyCount = account.Passkeys.Count;
        RecoveryCodesLeft = account.RecoveryCodeHashes.Count;
        HasSecondFactor = account.HasSecondFactor;
        Proved = user.SecondFactorAt is not null;
        Fresh = SecondFactor.IsFresh(user, clock.GetUtcNow());
        Next = LocalReturn() ?? SignInFlow.HomeOf(account);
        return true;
    }
}
