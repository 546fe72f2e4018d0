using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.PasswordReset;

/// <summary>Choose a new password from the emailed link. The link then stops working; the account is unlocked.</summary>
public sealed record ResetPasswordRequest(string Token, string Password);

internal sealed class ResetPasswordValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordValidator()
    {
        RuleFor(r => r.Token).LinkToken();
        RuleFor(r => r.Password).AcceptablePassword();
    }
}

public static class ResetPasswordEndpoint
{
    public const string LinkNotUsableMessage = "This reset link has expired or was already used. Ask for a new one.";

    [WolverinePost("/api/account/password-reset/complete")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(
        ResetPasswordRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ResetAsync(request, http, session, clock);
        return (outcome.ToResult(http), messages);
    }

    /// <summary>
    /// Sets the new password and ends any lock: the account's, and what this host counted for the email, so the owner
    /// is never refused right after proving they own the address. A client's lock ending is told to the provider's list.
    /// </summary>
    internal static async Task<(Outcome<Account>, OutgoingMessages)> ResetAsync(
        ResetPasswordRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var hash = SecretTokens.Hash(request.Token);
        var ticket = await session.Query<PasswordResetTicket>().FirstOrDefaultAsync(t => t.TokenHash == hash);
        var account = ticket is null ? null : await session.LoadAsync<Account>(ticket.AccountId);
        if (ticket is null || account is null || !ticket.IsUsable(now))
        {
            Audit.Record(session, http, clock, "account.password-reset", "Account", account?.Id.ToString(), account?.ClientId, "link-not-usable");
            return (new Refusal(StatusCodes.Status410Gone, LinkNotUsableMessage), []);
        }
        if (Passwords.Problem(request.Password, account.Email) is { } problem) return (Passwords.Refused(problem), []);

        account.PasswordHash = Passwords.Hash(account, request.Password);
        account.Active = true;
        account.ActivatedAt ??= now;
        OutgoingMessages messages = account.ClearLock(now) is { } lockEnded ? [lockEnded] : [];
        // A member who chose their password from a reset link instead of the invitation is active from now on.
        messages.AddRange(Members.MemberAccounts.Changed(account));
        Lockout.Forget(account.Email);
        ticket.UsedAt = now;
        session.Store(account);
        session.Store(ticket);
        Audit.Record(session, http, clock, "account.password-reset", "Account", account.Id.ToString(), account.ClientId, "done");
        return (Outcome<Account>.Ok(account, StatusCodes.Status204NoContent), messages);
    }
}
