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
    public static async Task<IResult> Post(ClaimsPrincipal principal, IDocumentSession session, IDataProtectionProvider protection)
    {
        var account = await session.LoadAsync<Account>(CurrentUser.From(principal)!.UserId);
        if (account is null) return Results.Problem(statusCode: 404, title: "No such account.");
        return Results.Ok(Authenticator.Start(account, session, protection));
    }
}

public static class ConfirmAuthenticatorEndpoint
{
    [WolverinePost("/api/account/authenticator/confirm")]
    [Authorize]
    public static async Task<IResult> Post(ConfirmAuthenticatorRequest request, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        IDataProtectionProvider protection, TimeProvider clock)
    {
        var account = await session.LoadAsync<Account>(CurrentUser.From(principal)!.UserId);
        if (account is null) return Results.Problem(statusCode: 404, title: "No such account.");
        var codes = Authenticator.Confirm(account, request.Code ?? string.Empty, session, protection, clock);
        if (codes is null)
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["code"] = ["That code is not right. Check the time on your phone and try the newest code."]
            });
        Audit.Record(session, http, clock, "account.totp-enabled", "Account", account.Id.ToString(), account.ClientId);
        return Results.Ok(new AuthenticatorEnabled(codes));
    }
}

internal static class Authenticator
{
    public static AuthenticatorSetup Start(Account account, IDocumentSession session, IDataProtectionProvider protection)
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        account.ProtectedPendingTotpSecret = protection.CreateProtector(Portal.Invitations.SignIn.Totp.Purpose).Protect(secret);
        session.Store(account);
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

        var codes = Enumerable.Range(0, 10).Select(_ => RecoveryCode()).ToList();
        account.ProtectedTotpSecret = account.ProtectedPendingTotpSecret;
        account.ProtectedPendingTotpSecret = null;
        account.TotpEnabled = true;
        account.LastTotpStep = step;
        account.RecoveryCodeHashes = codes.Select(c => SecretTokens.Hash(c.Replace("-", string.Empty))).ToList();
        session.Store(account);
        return codes;
    }

    private static string RecoveryCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(alphabet, 10);
        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }
}
