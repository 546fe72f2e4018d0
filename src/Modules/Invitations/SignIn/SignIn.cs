using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Invitations.Accounts;
using Portal.Invitations.Sessions;

namespace Portal.Invitations.SignIn;

/// <summary>
/// Email + password, plus the authenticator code (or a recovery code) when the account has TOTP. An account with
/// passkeys is asked for one instead when it has no TOTP, or when <paramref name="UsePasskey"/> says the person chose it.
/// </summary>
public sealed record SignInRequest(string Email, string Password, string? Code, bool UsePasskey = false);

/// <summary>
/// <paramref name="SecondFactorRequired"/>: a staff login (or a client whose practice requires it) signed in without a
/// second factor; <paramref name="RedirectTo"/> is then the enrolment page, and nothing else is open until it is done.
/// </summary>
internal sealed record SignedIn(string Role, string DisplayName, string RedirectTo, bool SecondFactorRequired);

internal sealed class SignInValidator : AbstractValidator<SignInRequest>
{
    public SignInValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254);
        RuleFor(r => r.Password).NotEmpty().MaximumLength(Passwords.MaximumLength);
        RuleFor(r => r.Code).MaximumLength(32);
    }
}

public static class SignInEndpoint
{
    [WolverinePost("/api/account/sign-in")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(SignInRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection)
    {
        var attempt = await SignInFlow.AttemptAsync(request, http, session, clock, protection);
        var response = attempt.Outcome switch
        {
            SignInOutcome.SignedIn => Results.Ok(new SignedIn(attempt.Account!.Role, attempt.Account.DisplayName,
                SignInFlow.NextOf(attempt.Account, attempt.Gated), attempt.Gated)),
            SignInOutcome.CodeRequired => Results.Problem(statusCode: 401, title: SignInFlow.CodeRequiredMessage,
                extensions: new Dictionary<string, object?> { ["codeRequired"] = true }),
            SignInOutcome.PasskeyRequired => Results.Problem(statusCode: 401, title: SignInFlow.PasskeyRequiredMessage,
                extensions: new Dictionary<string, object?>
                {
                    ["passkeyRequired"] = true, ["ceremonyId"] = attempt.Passkey!.CeremonyId, ["options"] = attempt.Passkey.Options,
                }),
            SignInOutcome.Locked => SignInFlow.LockedResult(http, attempt.LockedUntil!.Value, clock),
            SignInOutcome.Closed => Results.Problem(statusCode: 403, title: SignInFlow.ClosedMessage),
            _ => Results.Problem(statusCode: 401, title: SignInFlow.FailedMessage),
        };
        return (response, attempt.Messages);
    }
}

internal enum SignInOutcome
{
    SignedIn,
    Failed,
    CodeRequired,
    /// <summary>The right password; a passkey of the account finishes the sign-in (<see cref="Passkeys.PasskeySignIn"/>).</summary>
    PasskeyRequired,
    Locked,
    /// <summary>The right password for an account the practice closed (a discharge).</summary>
    Closed,
}

/// <summary><see cref="Gated"/>: signed in, but the second-factor gate holds everything until the person enrols.</summary>
internal sealed record SignInAttempt(SignInOutcome Outcome, Account? Account, OutgoingMessages Messages,
    DateTimeOffset? LockedUntil = null, Passkeys.PasskeyOptions? Passkey = null, bool Gated = false);

/// <summary>
/// The one sign-in path, for the JSON endpoint and the page. Unknown emails and wrong passwords get the same answer
/// after the same hashing work. After <see cref="LockAfter"/> failures an email is locked for <see cref="LockFor"/>
/// (see <see cref="Lockout"/>, the same for emails without an account): the answer says until when, even to the
/// right password, and the owner is emailed; a password reset or support's unlock ends it.
/// </summary>
internal static class SignInFlow
{
    public const int LockAfter = Lockout.After;
    public static readonly TimeSpan LockFor = Lockout.For;
    public const string FailedMessage = "That email and password don't match an active account. You can reset your password.";
    public const string ClosedMessage = "Your access to this portal has been closed by your practice.";
    public const string CodeRequiredMessage = "Enter the code from your authenticator app, or a recovery code.";
    public const string PasskeyRequiredMessage = "Confirm it's you with your passkey.";

    /// <summary>429 with until when (in the reader's zone in the title, and as a value for the caller to show in its own).</summary>
    public static IResult LockedResult(HttpContext http, DateTimeOffset until, TimeProvider clock)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalSeconds))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Problem(statusCode: 429, title: Lockout.Message(until, null, http.ReaderZone(), ClientText.For(http)),
            extensions: new Dictionary<string, object?> { ["lockedUntil"] = until });
    }

    public static async Task<SignInAttempt> AttemptAsync(SignInRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection)
    {
        var email = request.Email.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.Email == email);
        var passwordMatches = Passwords.Verify(account, request.Password);
        var messages = new OutgoingMessages();
        // A deactivated member is answered as an email without an account: the same words, the same lock-out.
        var usable = account is { Active: true, Deactivated: false };

        // A lock refuses even the right password; the answer says until when (the same for an unknown email).
        var lockedUntil = usable
            ? account!.IsLocked(now) ? account.LockedUntil : null
            : Lockout.UnknownLockedUntil(email, now);
        if (lockedUntil is { } until)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account?.Id.ToString(), account?.ClientId, "refused-locked");
            return new(SignInOutcome.Locked, null, messages, until);
        }

        // Only the right password learns that the practice closed the account; anyone else gets the usual answer.
        if (account is { IsClosed: true } && passwordMatches)
        {
            Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "refused-closed");
            return new(SignInOutcome.Closed, null, messages);
        }

        if (account is null || !usable || !passwordMatches)
        {
            var lockedNow = usable
                ? RecordFailure(account!, session, http, clock, now, messages)
                : Lockout.RecordUnknownFailure(email, now);
            // The caller gets the same answer either way; the audit log tells support which it was.
            Audit.Record(session, http, clock, "account.sign-in", "Account", account?.Id.ToString(), account?.ClientId,
                lockedNow is null ? "failed" : "failed-locked");
            return lockedNow is null ? new(SignInOutcome.Failed, null, messages) : new(SignInOutcome.Locked, null, messages, lockedNow);
        }

        // Passkeys as the second factor: the account's only one, or the one the person chose over their code.
        if (account.Passkeys.Count > 0 && string.IsNullOrWhiteSpace(request.Code) && (request.UsePasskey || !account.TotpEnabled))
        {
            var configuration = http.RequestServices.GetRequiredService<IConfiguration>();
            return new(SignInOutcome.PasskeyRequired, account, [], Passkey: Passkeys.PasskeySignIn.StartSecondFactor(account, session, clock, configuration));
        }

        if (account.TotpEnabled)
        {
            if (string.IsNullOrWhiteSpace(request.Code)) return new(SignInOutcome.CodeRequired, account, []);
            if (!Totp.Verify(account, request.Code, protection, now))
            {
                var lockedNow = RecordFailure(account, session, http, clock, now, messages);
                Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "failed-code");
                return lockedNow is null
                    ? new(SignInOutcome.CodeRequired, account, messages)
                    : new(SignInOutcome.Locked, null, messages, lockedNow);
            }
        }

        // Never locked here: a locked account was refused above.
        account.ClearLock(now);
        account.LastSignInAt = now;
        session.Store(account);
        Audit.Record(session, http, clock, "account.sign-in", "Account", account.Id.ToString(), account.ClientId, "success",
            actor: new CurrentUser(account.Role, account.Id, account.DisplayName, account.ClientId, account.ProviderId, account.PracticeId));
        var proved = account.TotpEnabled ? now : (DateTimeOffset?)null;
        var user = await StartSessionAsync(http, session, account, now, proved);
        return new(SignInOutcome.SignedIn, account, Members.MemberAccounts.Changed(account), Gated: !SecondFactor.Satisfies(user));
    }

    /// <summary>Counts a failed sign-in (or step-up) of an active account; the lock's end when this failure locks it.</summary>
    internal static DateTimeOffset? RecordFailure(Account account, IDocumentSession session, HttpContext http, TimeProvider clock,
        DateTimeOffset now, OutgoingMessages messages)
    {
        if (account.LastFailedSignInAt + Lockout.Window < now) account.FailedSignIns = 0;
        account.LastFailedSignInAt = now;
        account.FailedSignIns++;
        if (account.FailedSignIns >= LockAfter)
        {
            account.FailedSignIns = 0;
            account.LockedUntil = now + LockFor;
            Audit.Record(
                session, http, clock, "account.locked", "Account", account.Id.ToString(), account.ClientId, $"after {LockAfter} failed sign-ins");
            messages.Add(new AccountLocked(Guid.CreateVersion7(), account.Email, account.FirstName, account.LockedUntil.Value));
            if (account.ClientId is { } clientId) messages.Add(new ClientAccountLockChanged(clientId, account.LockedUntil, now));
        }
        session.Store(account);
        return account.IsLocked(now) ? account.LockedUntil : null;
    }

    /// <summary>
    /// A new session record and a cookie with its id and start time: whatever cookie the browser had before is
    /// overwritten. The record is saved with the sign-in's audit entry; without it the cookie is refused.
    /// </summary>
    public static async Task<CurrentUser> StartSessionAsync(HttpContext http, IDocumentSession session, Account account, DateTimeOffset now,
        DateTimeOffset? secondFactorAt = null)
    {
        var (record, sessionId) = SignInSession.Start(account, now, http);
        session.Store(record);
        // A login that acts for several records starts on its own, else on the first it acts for.
        var acting = account.Role == PortalRoles.Client
            ? (await Contacts.ActingRecords.OfAsync(session, account, http.RequestAborted)).FirstOrDefault()
            : null;
        var required = await Security.ClientSecondFactorRule.RequiredForAsync(session, account, http.RequestAborted);
        return CurrentUser.From(await IssueCookieAsync(http, account, sessionId, now, acting, secondFactorAt, required))!;
    }

    /// <summary>
    /// The cookie for a session: who signed in and, for a client's login, the record acted for now (its id is the
    /// cookie's client, so every module's client endpoints serve that record) and as whom (self, or a contact with what
    /// they may do). Switching records issues it again with the same session id and start.
    /// </summary>
    public static async Task<ClaimsPrincipal> IssueCookieAsync(HttpContext http, Account account, string sessionId, DateTimeOffset started,
        Contacts.ActingRecord? acting, DateTimeOffset? secondFactorAt, bool secondFactorRequired = false)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, account.Role),
            new(PortalClaims.UserId, account.Id.ToString()),
            new(PortalClaims.DisplayName, account.DisplayName),
            new(PortalClaims.SessionStarted, started.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(PortalClaims.SessionId, sessionId),
        };
        if ((acting?.ClientId ?? account.ClientId) is { } clientId) claims.Add(new(PortalClaims.ClientId, clientId.ToString()));
        if (acting is not null)
        {
            claims.Add(new(PortalClaims.ActingAs, acting.ActingAs));
            claims.Add(new(PortalClaims.ActingForName, acting.ClientName));
            if (acting.Contact is { } contact)
                claims.Add(new(PortalClaims.ContactMay, string.Join(',', new[]
                {
                    contact.CompletesTasks ? PortalClaims.MayCompleteTasks : null,
                    contact.SeesResults ? PortalClaims.MaySeeResults : null,
                    contact.ReceivesEmails ? PortalClaims.MayReceiveEmails : null,
                }.OfType<string>())));
            if (acting.GuardianOnlyFrom is { } from)
            {
                claims.Add(new(PortalClaims.GuardianOnlyFrom, from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                claims.Add(new(PortalClaims.GuardianCompletes, string.Join(',', acting.GuardianCompletes)));
            }
        }
        if (account.ProviderId is { } providerId) claims.Add(new(PortalClaims.ProviderId, providerId.ToString()));
        if (account.PracticeId is { } practiceId) claims.Add(new(PortalClaims.PracticeId, practiceId.ToString()));
        if (account.StaffRole is { } staffRole) claims.Add(new(PortalClaims.StaffRole, staffRole.ToString()));
        if (secondFactorAt is { } mfaAt)
            claims.Add(new(PortalClaims.SecondFactorAt, mfaAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (secondFactorRequired && account.Role == PortalRoles.Client) claims.Add(new(PortalClaims.SecondFactorRequired, "1"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            claims, CookieAuthenticationDefaults.AuthenticationScheme, PortalClaims.DisplayName, ClaimTypes.Role));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = started, AllowRefresh = true });
        return principal;
    }

    /// <summary>Where a signed-in person goes next: home, or the enrolment page (coming home afterwards) while gated.</summary>
    public static string NextOf(Account account, bool gated) => gated
        ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(SecondFactor.EnrolPath, "returnUrl", HomeOf(account))
        : HomeOf(account);

    public static string HomeOf(Account account) => account.Role switch
    {
        PortalRoles.Client => "/portal",
        PortalRoles.Support => "/support",
        _ => "/console",
    };
}

/// <summary>
/// Rate limits for the account endpoints. Every address gets a request budget through ASP.NET Core's rate limiter
/// middleware (policy <see cref="Policy"/>); failed sign-ins lock the email instead (<see cref="Lockout"/>).
/// </summary>
internal static class AuthRateLimits
{
    public const string Policy = "portal-account";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Password reset and fresh-link requests per email (same answer for every email, known or not).</summary>
    public static readonly PartitionedRateLimiter<string> EmailRequests = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = 3,
            Window = Window,
            SegmentsPerWindow = 15,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}

internal static class Totp
{
    public const string Purpose = "Portal.Totp";

    public static bool Verify(Account account, string code, IDataProtectionProvider protection, DateTimeOffset now)
    {
        code = code.Replace(" ", string.Empty).Trim();
        if (code.Length == 6 && code.All(char.IsDigit) && account.ProtectedTotpSecret is { } protectedSecret)
        {
            var secret = protection.CreateProtector(Purpose).Unprotect(protectedSecret);
            var totp = new OtpNet.Totp(Base32Encoding.ToBytes(secret));
            // A code works once: a step at or before the last one used is refused (no replay).
            if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) || step <= account.LastTotpStep)
                return false;
            account.LastTotpStep = step;
            return true;
        }

        var hash = SecretTokens.Hash(code.ToUpperInvariant().Replace("-", string.Empty));
        // A recovery code works once.
        if (account.RecoveryCodeHashes.Remove(hash)) return true;
        return false;
    }
}
