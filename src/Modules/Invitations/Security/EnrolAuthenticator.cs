using System.Security.Claims;
using OtpNet;
using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;
using QRCoder;

namespace Portal.Invitations.Security;

/// <summary>Step 1 of TOTP enrolment: a new secret, shown as a QR code (and as text for manual entry).</summary>
internal sealed record AuthenticatorSetup(string Secret, string OtpAuthUri, string QrCodeDataUri);

/// <summary>Step 2: the first code from the app proves it works; TOTP is then on and recovery codes are shown once.</summary>
public sealed record ConfirmAuthenticatorRequest(string Code);

internal sealed record AuthenticatorEnabled(IReadOnlyList<string> RecoveryCodes);

public static class StartAuthenticatorEndpoint
{
    [WolverinePost("/api/account/authenticator")]
    [Authorize]
    public static async Task<IResult> Post(HttpContext http, IDocumentSession session, IDataProtectionProvider protection, TimeProvider clock)
    {
        var outcome = await Authenticator.StartAsync(http, session, protection, clock);
        return outcome.ToResult(http);
    }
}

public static class ConfirmAuthenticatorEndpoint
{
    [WolverinePost("/api/account/authenticator/confirm")]
    [Authorize]
    public static async Task<IResult> Post(ConfirmAuthenticatorRequest request, HttpContext http, IDocumentSession session,
        IDataProtectionProvider protection, TimeProvider clock)
    {
        var outcome = await Authenticator.ConfirmAsync(request.Code, http, session, protection, clock);
        return outcome.ToResult(http);
    }
}

/// <summary>
/// The enrolment, for the JSON endpoints and the pages. The first factor of a login needs no step-up (there is nothing
/// to prove yet); replacing the authenticator of a login that has a factor is a change of factors and asks for it
/// again when older than ten minutes. A confirmed enrolment counts as this session's proof.
/// </summary>
internal static class Authenticator
{
    public static async Task<Outcome<AuthenticatorSetup>> StartAsync(HttpContext http, IDocumentSession session,
        IDataProtectionProvider protection, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is null) return Refusal.NotFound("account");
        if (SecondFactor.StepUp(user, clock.GetUtcNow(), account.HasSecondFactor) is { } stepUp) return stepUp;
        return Start(account, session, protection);
    }

    public static async Task<Outcome<AuthenticatorEnabled>> ConfirmAsync(string? code, HttpContext http, IDocumentSession session,
        IDataProtectionProvider protection, TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is null) return Refusal.NotFound("account");
        var now = clock.GetUtcNow();
        if (SecondFactor.StepUp(user, now, account.HasSecondFactor) is { } stepUp) return stepUp;
        var replaced = account.TotpEnabled;
        var codes = Confirm(account, code ?? string.Empty, session, protection, clock);
        if (codes is null)
            return Refusal.Invalid("code", "That code is not right. Check the time on your phone and try the newest code.");
        Audit.Record(session, http, clock, replaced ? "account.totp-replaced" : "account.totp-enabled", "Account", account.Id.ToString(),
            account.ClientId);
        await SecondFactorProof.RenewAsync(http, session, account, now);
        return new AuthenticatorEnabled(codes);
    }

    public static AuthenticatorSetup Start(Account account, IDocumentSession session, IDataProtectionProvider protection)
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        account.ProtectedPendingTotpSecret = protection.CreateProtector(Portal.Invitations.SignIn.Totp.Purpose).Protect(secret);
        session.Store(account);
        return SetupOf(account, secret);
    }

    /// <summary>
    /// The setup waiting for its first code, or null: after a wrong code the page shows the same key and QR code again,
    /// so the person retries with the app they already added it to.
    /// </summary>
    public static AuthenticatorSetup? Pending(Account account, IDataProtectionProvider protection) =>
        account.ProtectedPendingTotpSecret is { } pending
            ? SetupOf(account, protection.CreateProtector(Portal.Invitations.SignIn.Totp.Purpose).Unprotect(pending))
            : null;

    private static AuthenticatorSetup SetupOf(Account account, string secret)
    {
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Portal:" + account.Email)}?secret={secret}&issuer=Portal&digits=6&period=30";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return new AuthenticatorSetup(secret, uri, "data:image/png;base64," + Convert.ToBase64String(png));
    }

    /// <summary>The recovery codes (shown once; only hashes are kept), or null when the code is wrong.</summary>
    public static IReadOnlyList<string>? Confirm(
        Account account, string code, IDocumentSession session, IDataProtectionProvider protection, TimeProvider clock)
    {
        if (account.ProtectedPendingTotpSecret is null) return null;
        var protector = protection.CreateProtector(Portal.Invitations.SignIn.Totp.Purpose);
        var secret = protector.Unprotect(account.ProtectedPendingTotpSecret);
        var totp = new OtpNet.Totp(Base32Encoding.ToBytes(secret));
        code = code.Replace(" ", string.Empty).Trim();
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay)) return null;

        account.ProtectedTotpSecret = account.ProtectedPendingTotpSecret;
        account.ProtectedPendingTotpSecret = null;
        account.TotpEnabled = true;
        account.LastTotpStep = step;
        var codes = NewRecoveryCodes(account);
        session.Store(account);
        return codes;
    }

    /// <summary>Ten new recovery codes, replacing any left (only their hashes are kept; the caller stores the account).</summary>
    public static IReadOnlyList<string> NewRecoveryCodes(Account account)
    {
        var codes = Enumerable.Range(0, 10).Select(_ => RecoveryCode()).ToList();
        account.RecoveryCodeHashes = codes.Select(c => SecretTokens.Hash(c.Replace("-", string.Empty))).ToList();
        return codes;
    }

    private static string RecoveryCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(alphabet, 10);
        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }
}
