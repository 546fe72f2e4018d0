using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Security;

/// <summary>
/// Proving the second factor again within a session: a code from the authenticator app or a recovery code renews the
/// cookie's <see cref="PortalClaims.SecondFactorAt"/> (same session, same start), so the sensitive actions that ask for
/// a fresh factor (<see cref="SecondFactor.StepUp"/>) go ahead for the next ten minutes. Wrong codes count towards the
/// account's lock-out as wrong sign-ins do.
/// </summary>
public sealed record StepUpRequest(string? Code);

internal sealed record SteppedUp(DateTimeOffset SecondFactorAt, DateTimeOffset FreshUntil);

internal sealed class StepUpValidator : AbstractValidator<StepUpRequest>
{
    public StepUpValidator() =>
        RuleFor(r => r.Code).NotEmpty().WithMessage("Enter the code from your authenticator app, or a recovery code.").MaximumLength(32);
}

public static class StepUpEndpoint
{
    [WolverinePost(SecondFactor.StepUpPath)]
    [Authorize]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(StepUpRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection)
    {
        var (outcome, messages) = await SecondFactorProof.StepUpAsync(request.Code, http, session, clock, protection);
        return (outcome.ToResult(http), messages);
    }
}

internal static class SecondFactorProof
{
    public const string WrongCode = "That code is not right. Enter the newest code from your app, or an unused recovery code.";

    /// <summary>Checks the code and renews the session's proof (the caller saves the session).</summary>
    public static async Task<(Outcome<SteppedUp>, OutgoingMessages)> StepUpAsync(string? code, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection)
    {
        var messages = new OutgoingMessages();
        if (string.IsNullOrWhiteSpace(code) || code.Length > 32)
            return (Refusal.Invalid("code", "Enter the code from your authenticator app, or a recovery code."), messages);
        var account = await session.LoadAsync<Account>(CurrentUser.From(http.User)!.UserId, http.RequestAborted);
        if (account is null) return (Refusal.NotFound("account"), messages);
        var now = clock.GetUtcNow();
        if (account.IsLocked(now))
            return (new Refusal(StatusCodes.Status429TooManyRequests,
                    Lockout.Message(account.LockedUntil!.Value, null, http.ReaderZone(), ClientText.For(http)))
                .With("lockedUntil", account.LockedUntil), messages);
        if (!account.TotpEnabled && account.RecoveryCodeHashes.Count == 0)
            return (Refusal.Conflict("This account has no authenticator app or recovery codes.",
                "Use a passkey, or set up a second factor first.").With("enrolUrl", SecondFactor.EnrolPath), messages);

        if (!Totp.Verify(account, code, protection, now))
        {
            var lockedUntil = SignInFlow.RecordFailure(account, session, http, clock, now, messages);
            Audit.Record(session, http, clock, "account.step-up", nameof(Account), account.Id.ToString(), account.ClientId,
                lockedUntil is null ? "failed" : "failed-locked");
            return (Refusal.Invalid("code", WrongCode), messages);
        }
        account.ClearLock(now);
        session.Store(account);
        await RenewAsync(http, session, account, now);
        Audit.Record(session, http, clock, "account.step-up", nameof(Account), account.Id.ToString(), account.ClientId, "success");
        return (new SteppedUp(now, now + SecondFactor.StepUpWindow), messages);
    }

    /// <summary>
    /// Issues the session's cookie again with the second factor proved at <paramref name="now"/>: the same session id
    /// and start, the same record acted for. After an enrolment or a step-up (and the passkey ceremonies).
    /// </summary>
    public static async Task RenewAsync(HttpContext http, IQuerySession session, Account account, DateTimeOffset now)
    {
        var user = CurrentUser.From(http.User)!;
        var sessionId = http.User.FindFirst(PortalClaims.SessionId)?.Value;
        var startedClaim = http.User.FindFirst(PortalClaims.SessionStarted)?.Value;
        if (sessionId is null || !long.TryParse(startedClaim, out var startedSeconds)) return;
        var acting = account.Role == PortalRoles.Client
            ? (await Contacts.ActingRecords.OfAsync(session, account, http.RequestAborted)).FirstOrDefault(r => r.ClientId == user.ClientId)
            : null;
        // The rest of this request (a page rendering after its post) sees the renewed session.
        http.User = await SignInFlow.IssueCookieAsync(http, account, sessionId, DateTimeOffset.FromUnixTimeSeconds(startedSeconds),
            acting, now, user.SecondFactorRequired);
    }
}
