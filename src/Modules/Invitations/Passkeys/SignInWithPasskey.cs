using System.Text.Json;
using Microsoft.Extensions.Localization;
using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Passkeys;

/// <summary>The browser's answer to a passkey sign-in or second-factor ceremony.</summary>
public sealed record PasskeyAssertionRequest(Guid CeremonyId, JsonElement Credential);

internal sealed class PasskeyAssertionValidator : AbstractValidator<PasskeyAssertionRequest>
{
    public PasskeyAssertionValidator(IStringLocalizer<ClientText> text)
    {
        RuleFor(r => r.CeremonyId).NotEmpty();
        RuleFor(r => r.Credential.ValueKind).Equal(JsonValueKind.Object).OverridePropertyName("credential")
            .WithMessage(_ => text[PasskeyRefusals.CredentialMissing]);
    }
}

/// <summary>
/// Signing in with a passkey: alone (a discoverable credential names its account through its user handle; the sign-in
/// page offers it in the email field's autofill and behind a button), or as the second factor after the right password
/// (the ceremony <see cref="SignInFlow"/> started is bound to that account). A passkey is itself multi-factor (something
/// held, unlocked by a face, fingerprint or PIN), so the session starts with its second factor proven now. The password
/// path's rules hold: a locked account is refused until when it says, a closed one is told so (only once the passkey
/// proved who is asking), a deactivated or inactive one gets the usual refusal; every attempt is audited.
/// </summary>
public static class SignInWithPasskeyEndpoints
{
    public const string FailedMessage = "That passkey didn't sign you in. Try again, or sign in with your email and password.";

    [WolverinePost("/api/account/sign-in/passkey/options")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<IResult> Options(HttpContext http, IDocumentSession session, TimeProvider clock, IConfiguration configuration)
    {
        var options = PasskeyCeremonies.Start(session, clock, PasskeyCeremonyPurpose.SignIn, null, PasskeyAssertions.Options(configuration, null));
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Ok(options);
    }

    [WolverinePost("/api/account/sign-in/passkey")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(PasskeyAssertionRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IConfiguration configuration)
    {
        var (outcome, messages) = await PasskeySignIn.FinishAsync(request, http, session, clock, configuration);
        await session.SaveChangesAsync(http.RequestAborted);
        if (outcome.Succeeded) return (Results.Ok(outcome.Value), messages);
        if (outcome.Refusal.Extensions?.TryGetValue("lockedUntil", out var until) == true && until is DateTimeOffset lockedUntil)
            return (SignInFlow.LockedResult(http, lockedUntil, clock), messages);
        return (outcome.ToResult(http), messages);
    }
}

internal static class PasskeySignIn
{
    /// <summary>The second step after the right password, for an account with passkeys (see <see cref="SignInFlow"/>).</summary>
    public static PasskeyOptions StartSecondFactor(Account account, IDocumentSession session, TimeProvider clock, IConfiguration configuration) =>
        PasskeyCeremonies.Start(session, clock, PasskeyCeremonyPurpose.SecondFactor, account.Id, PasskeyAssertions.Options(configuration, account));

    public static async Task<(Outcome<SignedIn>, OutgoingMessages)> FinishAsync(PasskeyAssertionRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, IConfiguration configuration)
    {
        var cancellation = http.RequestAborted;
        var refusals = PasskeyRefusals.For(http);
        var raw = RelyingParty.Assertion(request.Credential);
        if (raw is null) return (refusals.Invalid("credential", PasskeyRefusals.AnswerUnreadable), []);
        var ceremony = await PasskeyCeremonies.TakeAsync(session, clock, request.CeremonyId,
            [PasskeyCeremonyPurpose.SignIn, PasskeyCeremonyPurpose.SecondFactor], null, cancellation);
        // A passkey alone names its account by its user handle; a second factor's ceremony was bound to the account.
        var accountId = ceremony?.AccountId ?? RelyingParty.AccountIdOf(raw.Response?.UserHandle);
        var account = accountId is { } id ? await session.LoadAsync<Account>(id, cancellation) : null;
        if (ceremony is null)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account?.Id.ToString(), account?.ClientId, "refused-passkey-challenge");
            return (refusals.Expired(), []);
        }
        if (account is null)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", null, null, "failed-passkey-unknown");
            return (refusals.SignInFailed(), []);
        }

        var now = clock.GetUtcNow();
        // A lock refuses every way in, as it refuses the right password.
        if (account.IsLocked(now) && account is { Active: true, Deactivated: false })
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "refused-locked");
            return (new Refusal(StatusCodes.Status429TooManyRequests,
                    Lockout.Message(account.LockedUntil!.Value, null, http.ReaderZone(), ClientText.For(http)))
                .With("lockedUntil", account.LockedUntil!.Value), []);
        }

        var verified = await PasskeyAssertions.VerifyAsync(account, raw, ceremony, configuration, now, cancellation);
        if (verified != AssertionResult.Verified)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId,
                PasskeyAssertions.Refused(verified));
            if (verified == AssertionResult.CounterRegressed)
                Audit.Record(session, http, clock, "account.passkey-counter-regressed", "Account", account.Id.ToString(), account.ClientId,
                    "refused");
            return (refusals.SignInFailed(), []);
        }

        // The passkey proved who is asking: only now may they learn that the practice closed the account.
        if (account.IsClosed)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "refused-closed");
            return (refusals.Say(StatusCodes.Status403Forbidden, SignInFlow.ClosedMessage), []);
        }
        if (account is not { Active: true, Deactivated: false })
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "failed-passkey-inactive");
            return (refusals.SignInFailed(), []);
        }

        account.ClearLock(now);
        account.LastSignInAt = now;
        session.Store(account);
        var how = ceremony.Purpose == PasskeyCeremonyPurpose.SecondFactor ? "success-password-passkey" : "success-passkey";
        Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, how,
            actor: new CurrentUser(account.Role, account.Id, account.DisplayName, account.ClientId, account.ProviderId, account.PracticeId));
        await SignInFlow.StartSessionAsync(http, session, account, now, secondFactorAt: now);
        return (new SignedIn(account.Role, account.DisplayName, SignInFlow.HomeOf(account), false), Members.MemberAccounts.Changed(account));
    }
}
