using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Passkeys;

internal enum AssertionResult
{
    Verified,
    /// <summary>The credential is not one of the account's passkeys (removed, or never registered here).</summary>
    UnknownPasskey,
    /// <summary>The signature counter did not move forward: the key may have been cloned.</summary>
    CounterRegressed,
    Failed,
}

/// <summary>
/// Verifying a passkey's assertion (sign-in, second factor, step-up) with the Fido2 library: the ceremony's challenge,
/// the portal's origin and relying-party id, the stored public key, and the signature counter, which must move
/// forward when the authenticator keeps one (a counter that goes backwards suggests a cloned key and is refused).
/// On success the passkey's counter and last use are updated (the caller stores the account).
/// </summary>
internal static class PasskeyAssertions
{
    public static async Task<AssertionResult> VerifyAsync(Account account, AuthenticatorAssertionRawResponse raw, PasskeyCeremony ceremony,
        IConfiguration configuration, DateTimeOffset now, CancellationToken cancellation)
    {
        var passkey = Find(account, raw.RawId);
        if (passkey is null) return AssertionResult.UnknownPasskey;
        try
        {
            var result = await RelyingParty.Create(configuration).MakeAssertionAsync(new MakeAssertionParams
            {
                AssertionResponse = raw,
                OriginalOptions = AssertionOptions.FromJson(ceremony.OptionsJson),
                StoredPublicKey = passkey.PublicKey,
                StoredSignatureCounter = passkey.SignCount,
                IsUserHandleOwnerOfCredentialIdCallback = (owner, _) => Task.FromResult(
                    RelyingParty.AccountIdOf(owner.UserHandle) == account.Id && Find(account, owner.CredentialId) is not null),
            }, cancellation);
            passkey.SignCount = result.SignCount;
            passkey.LastUsedAt = now;
            return AssertionResult.Verified;
        }
        catch (Fido2VerificationException exception)
        {
            return exception.Code == Fido2ErrorCode.InvalidSignCount ? AssertionResult.CounterRegressed : AssertionResult.Failed;
        }
    }

    public static Passkey? Find(Account account, byte[]? credentialId) => credentialId is null
        ? null
        : account.Passkeys.FirstOrDefault(p => p.CredentialId.AsSpan().SequenceEqual(credentialId));

    /// <summary>Options for <c>navigator.credentials.get</c>: the account's passkeys when it is known, any passkey otherwise.</summary>
    public static string Options(IConfiguration configuration, Account? account) => RelyingParty.Create(configuration)
        .GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = account is null ? [] : [.. account.Passkeys.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId))],
            UserVerification = UserVerificationRequirement.Preferred,
        })
        .ToJson();

    /// <summary>The audit outcome of a refused assertion.</summary>
    public static string Refused(AssertionResult result) => result switch
    {
        AssertionResult.UnknownPasskey => "refused-unknown-passkey",
        AssertionResult.CounterRegressed => "refused-counter-regressed",
        _ => "refused-assertion",
    };
}
