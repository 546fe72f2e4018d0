using Portal.Invitations.Accounts;

namespace Portal.Invitations.SignIn;

/// <summary>
/// The activation page ends signed in: the person has just proved who they are (the link, their date of birth, the
/// password they chose or their login's own), so asking for it all again would only be a hurdle. The session starts as
/// a password sign-in does (no second factor proven), audited as one.
/// </summary>
internal static class SignInAfterActivation
{
    /// <summary>Starts the session for the activated account; false when it cannot sign in (the caller sends to sign-in).</summary>
    public static async Task<bool> StartAsync(Guid accountId, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var account = await session.LoadAsync<Account>(accountId, http.RequestAborted);
        if (account is not { Active: true, Deactivated: false }) return false;
        var now = clock.GetUtcNow();
        account.LastSignInAt = now;
        session.Store(account);
        Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "success-activation",
            actor: new CurrentUser(account.Role, account.Id, account.DisplayName, account.ClientId, account.ProviderId, account.PracticeId));
        await SignInFlow.StartSessionAsync(http, session, account, now);
        await session.SaveChangesAsync(http.RequestAborted);
        return true;
    }
}
