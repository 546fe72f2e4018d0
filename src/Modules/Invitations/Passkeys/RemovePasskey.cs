using Portal.Invitations.Accounts;

namespace Portal.Invitations.Passkeys;

/// <summary>
/// Removing one of the signed-in login's passkeys: it no longer signs in or proves a second factor from the next
/// request on. Changing factors is audited. An id that is not one of the caller's passkeys answers 404.
/// </summary>
public static class RemovePasskeyEndpoint
{
    [WolverineDelete("/api/account/passkeys/{id}")]
    [Authorize]
    public static async Task<IResult> Delete(string id, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await RemoveAsync(id, http, session, clock);
        await session.SaveChangesAsync(http.RequestAborted);
        return outcome.ToResult(http);
    }

    internal static async Task<Outcome<PasskeyView>> RemoveAsync(string id, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var refusals = PasskeyRefusals.For(http);
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        var credentialId = Base64UrlEncoder.Decode(id ?? string.Empty);
        var passkey = credentialId is null ? null : account?.Passkeys.FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId));
        if (account is null || passkey is null) return refusals.NoPasskey();
        // Removing a factor is "changing factors": the person proves a factor again after ten minutes.
        if (SecondFactor.StepUp(user, clock.GetUtcNow()) is { } stepUp) return refusals.StepUp(stepUp);
        account.Passkeys.Remove(passkey);
        session.Store(account);
        Audit.Record(session, http, clock, "account.passkey-removed", "Account", account.Id.ToString(), account.ClientId, "removed");
        return PasskeyView.Of(passkey);
    }
}
