using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Invitations.SignIn;
using Wolverine.Marten;

namespace Portal.Invitations.Pages;

[AllowAnonymous]
[EnableRateLimiting(AuthRateLimits.Policy)]
public sealed class SignInModel(IDocumentSession session, TimeProvider clock, IDataProtectionProvider protection, IMartenOutbox outbox) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    /// <summary>The message refuses the sign-in (wrong password, lock, closed account): an error, not a notice.</summary>
    public bool Refused { get; private set; }

    /// <summary>A confirmation (activated, password reset) reads as a success.</summary>
    public bool Confirms { get; private set; }

    public string MessageClass => Refused ? "notice warning" : Confirms ? "notice success" : "notice";

    public bool CodeRequired { get; private set; }

    /// <summary>Set when the person chose "Use a passkey instead" at the code prompt.</summary>
    [BindProperty]
    public bool UsePasskey { get; set; }

    /// <summary>The code prompt of an account that also has passkeys offers one instead.</summary>
    public bool OffersPasskey { get; private set; }

    /// <summary>The right password of an account with passkeys: the ceremony its passkey answers.</summary>
    internal Passkeys.PasskeyOptions? Passkey { get; private set; }

    /// <summary>The browser's IANA time zone (filled by script), so a lock's end is told in the user's own time.</summary>
    [BindProperty]
    public string? TimeZone { get; set; }

    // Strings, not bools: the redirects say "?activated=1", which a bool does not bind, and the message never showed.
    [BindProperty(SupportsGet = true)]
    public string? Activated { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reset { get; set; }

    public const string ResetMessage = "Your password was changed and your account is unlocked \u2014 sign in.";

    /// <summary>Seconds of inactivity after which the session ended (set by the idle warning and the host's redirect).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Idle { get; set; }

    public void OnGet()
    {
        if (Activated is "1" or "true") (Message, Confirms) = ("Your account is active. Sign in with your email and new password.", true);
        else if (Reset is "1" or "true") (Message, Confirms) = (ResetMessage, true);
        else if (Idle is > 0 and <= 86_400) Message = $"You were signed out after {IdleWords(Idle.Value)} without activity.";
    }

    private static string IdleWords(int seconds) => seconds % 60 != 0 ? $"{seconds} seconds"
        : seconds == 60 ? "1 minute" : $"{seconds / 60} minutes";

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email) || string.IsNullOrEmpty(Password) || Email.Length > 254 || Password.Length > 128)
        {
            (Message, Refused) = ("Enter your email and password.", true);
            return Page();
        }

        var attempt = await SignInFlow.AttemptAsync(new SignInRequest(Email, Password, Code, UsePasskey), HttpContext, session, clock, protection);
        await outbox.CommitAsync(session, attempt.Messages);

        switch (attempt.Outcome)
        {
            case SignInOutcome.SignedIn:
                var next = ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : SignInFlow.HomeOf(attempt.Account!);
                // Staff without a second factor enrol first; the enrolment page brings them where they were going.
                return LocalRedirect(attempt.Gated
                    ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(SecondFactor.EnrolPath, "returnUrl", next)
                    : next);
            case SignInOutcome.CodeRequired:
                CodeRequired = true;
                OffersPasskey = attempt.Account?.Passkeys.Count > 0;
                Message = SignInFlow.CodeRequiredMessage;
                return Page();
            case SignInOutcome.PasskeyRequired:
                Passkey = attempt.Passkey;
                return Page();
            case SignInOutcome.Locked:
                Response.StatusCode = 429;
                (Message, Refused) = (Lockout.Message(attempt.LockedUntil!.Value, TimeZone, HttpContext.ReaderZone(),
                    ClientText.For(HttpContext)), true);
                return Page();
            case SignInOutcome.Closed:
                Response.StatusCode = 403;
                (Message, Refused) = (SignInFlow.ClosedMessage, true);
                return Page();
            default:
                (Message, Refused) = (SignInFlow.FailedMessage, true);
                return Page();
        }
    }
}
