using System.Security.Claims;
using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Passkeys;

internal sealed record SteppedUp(DateTimeOffset SecondFactorAt);

/// <summary>
/// Proving a passkey again while signed in, before a sensitive action: options listing the login's passkeys, then the
/// assertion verified as at sign-in. The session's cookie is issued again (same session, same record acted for) with
/// its second factor proven now, which the step-up rule reads. Audited either way.
/// </summary>
public static class StepUpWithPasskeyEndpoints
{
    [WolverinePost("/api/account/step-up/passkey/options")]
    [Authorize]
    public static async Task<IResult> Options(ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration)
    {
        var refusals = PasskeyRefusals.For(http);
        var account = await session.LoadAsync<Account>(CurrentUser.From(principal)!.UserId, http.RequestAborted);
        if (account is not { Active: true }) return refusals.NoAccount().ToProblem(http);
        if (account.Passkeys.Count == 0)
            return refusals.Say(StatusCodes.Status409Conflict, "You have no passkey yet. Add one first, or use your authenticator app.")
                .ToProblem(http);
        var options = PasskeyCeremonies.Start(session, clock, PasskeyCeremonyPurpose.StepUp, account.Id,
            PasskeyAssertions.Options(configuration, account));
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(options);
    }

    [WolverinePost("/api/account/step-up/passkey")]
    [Authorize]
    public static async Task<IResult> Post(PasskeyAssertionRequest request, HttpContext http, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration)
    {
        var outcome = await StepUpAsync(request, http, session, clock, configuration);
        await session.SaveChangesAsync(http.RequestAborted);
        return outcome.ToResult(http);
    }

    internal static async Task<Outcome<SteppedUp>> StepUpAsync(PasskeyAssertionRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IConfiguration configuration)
    {
        var cancellation = http.RequestAborted;
        var refusals = PasskeyRefusals.For(http);
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, cancellation);
        var sessionId = http.User.FindFirst(PortalClaims.SessionId)?.Value;
        var startedClaim = http.User.FindFirst(PortalClaims.SessionStarted)?.Value;
        if (account is null || sessionId is null || !long.TryParse(startedClaim, out var startedSeconds)) return refusals.NoAccount();
        var raw = RelyingParty.Assertion(request.Credential);
        if (raw is null) return refusals.Invalid("credential", PasskeyRefusals.AnswerUnreadable);
        var ceremony = await PasskeyCeremonies.TakeAsync(session, clock, request.CeremonyId, [PasskeyCeremonyPurpose.StepUp], account.Id,
            cancellation);
        if (ceremony is null)
        {
            Audit.Record(session, http, clock, "account.step-up", "Account", account.Id.ToString(), account.ClientId, "refused-passkey-challenge");
            return refusals.Expired();
        }

        var now = clock.GetUtcNow();
        var verified = await PasskeyAssertions.VerifyAsync(account, raw, ceremony, configuration, now, cancellation);
        if (verified != AssertionResult.Verified)
        {
            Audit.Record(session, http, clock, "account.step-up", "Account", account.Id.ToString(), account.ClientId,
                PasskeyAssertions.Refused(verified));
            if (verified == AssertionResult.CounterRegressed)
                Audit.Record(session, http, clock, "account.passkey-counter-regressed", "Account", account.Id.ToString(), account.ClientId,
                    "refused");
            return refusals.Say(StatusCodes.Status401Unauthorized, "That passkey could not confirm it's you. Try again.");
        }

        session.Store(account);
        var acting = account.Role == PortalRoles.Client
            ? (await Contacts.ActingRecords.OfAsync(session, account, cancellation)).FirstOrDefault(r => r.ClientId == user.ClientId)
            : null;
        await SignInFlow.IssueCookieAsync(http, account, sessionId, DateTimeOffset.FromUnixTimeSeconds(startedSeconds), acting, now);
        Audit.Record(session, http, clock, "account.step-up", "Account", account.Id.ToString(), account.ClientId, "success-passkey");
        return new SteppedUp(now);
    }
}
