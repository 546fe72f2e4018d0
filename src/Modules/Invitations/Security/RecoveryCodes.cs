using Portal.Invitations.Accounts;

namespace Portal.Invitations.Security;

/// <summary>
/// Ten new recovery codes for a login with a second factor (the old ones stop working). A change of factors: the
/// session must have proved its factor in the last ten minutes. The codes are shown once; only hashes are kept.
/// </summary>
internal sealed record RecoveryCodesIssued(IReadOnlyList<string> RecoveryCodes);

public static class RenewRecoveryCodesEndpoint
{
    [WolverinePost("/api/account/recovery-codes")]
    [Authorize]
    public static async Task<IResult> Post(HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await RecoveryCodes.RenewAsync(http, session, clock);
        return outcome.ToResult(http);
    }
}

internal static class RecoveryCodes
{
    public static async Task<Outcome<RecoveryCodesIssued>> RenewAsync(HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is null) return Refusal.NotFound("account");
        if (!account.HasSecondFactor)
            return Refusal.Conflict("Set up an authenticator app or a passkey first.", "Recovery codes stand in for a second factor.")
                .With("enrolUrl", SecondFactor.EnrolPath);
        if (SecondFactor.StepUp(user, clock.GetUtcNow()) is { } stepUp) return stepUp;
        var codes = Authenticator.NewRecoveryCodes(account);
        session.Store(account);
        Audit.Record(session, http, clock, "account.recovery-codes-renewed", nameof(Account), account.Id.ToString(), account.ClientId);
        return new RecoveryCodesIssued(codes);
    }
}
