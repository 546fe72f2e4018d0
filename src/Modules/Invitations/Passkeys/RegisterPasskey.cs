using System.Security.Claims;
using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Objects;
using Microsoft.Extensions.Localization;
using Portal.Invitations.Accounts;
using Portal.Invitations.Security;

namespace Portal.Invitations.Passkeys;

/// <summary>The browser's answer to the registration options: the ceremony it answers, a name, the new credential.</summary>
public sealed record RegisterPasskeyRequest(Guid CeremonyId, string? Name, JsonElement Credential);

/// <summary>A passkey as its owner sees it: the id (base64url), the name and when it was added and last used.</summary>
internal sealed record PasskeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static PasskeyView Of(Passkey passkey) =>
        new(RelyingParty.Id(passkey.CredentialId), passkey.Name, passkey.CreatedAt, passkey.LastUsedAt);
}

/// <summary>passkeys.js shows these as they come: each is looked up in the reader's language when a request is checked.</summary>
internal sealed class RegisterPasskeyValidator : AbstractValidator<RegisterPasskeyRequest>
{
    public RegisterPasskeyValidator(IStringLocalizer<ClientText> text)
    {
        RuleFor(r => r.CeremonyId).NotEmpty();
        RuleFor(r => r.Name).MaximumLength(PasskeyRegistration.NameLength);
        RuleFor(r => r.Credential.ValueKind).Equal(JsonValueKind.Object).OverridePropertyName("credential")
            .WithMessage(_ => text[PasskeyRefusals.CredentialMissing]);
    }
}

/// <summary>
/// Adding a passkey to the signed-in login (any role): options for <c>navigator.credentials.create</c> asking for a
/// discoverable credential (so it can sign in without an email) with user verification preferred, then the attestation
/// verified by the Fido2 library against the ceremony's challenge and the portal's origin. Changing factors is audited.
/// </summary>
public static class RegisterPasskeyEndpoints
{
    [WolverinePost("/api/account/passkeys/options")]
    [Authorize]
    public static async Task<IResult> Options(ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration)
    {
        var outcome = await PasskeyRegistration.OptionsAsync(CurrentUser.From(principal)!, session, clock, configuration, http);
        await session.SaveChangesAsync(http.RequestAborted);
        return outcome.ToResult(http);
    }

    [WolverinePost("/api/account/passkeys")]
    [Authorize]
    public static async Task<IResult> Post(RegisterPasskeyRequest request, HttpContext http, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration)
    {
        var outcome = await PasskeyRegistration.RegisterAsync(request, http, session, clock, configuration);
        await session.SaveChangesAsync(http.RequestAborted);
        return outcome.Succeeded ? Results.Json(outcome.Value, statusCode: StatusCodes.Status201Created) : outcome.ToResult(http);
    }
}

internal static class PasskeyRegistration
{
    public const int NameLength = 60;
    public const int MaximumPasskeys = 10;

    public static async Task<Outcome<PasskeyOptions>> OptionsAsync(CurrentUser user, IDocumentSession session, TimeProvider clock,
        IConfiguration configuration, HttpContext http)
    {
        var refusals = PasskeyRefusals.For(http);
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is not { Active: true }) return refusals.NoAccount();
        if (account.Passkeys.Count >= MaximumPasskeys) return refusals.TooMany(MaximumPasskeys);
        var options = RelyingParty.Create(configuration).RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = RelyingParty.UserHandle(account), Name = account.Email, DisplayName = account.DisplayName },
            // The same authenticator twice would only be a second name for one key.
            ExcludeCredentials = [.. account.Passkeys.Select(p => new PublicKeyCredentialDescriptor(p.CredentialId))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Preferred,
            },
            AttestationPreference = AttestationConveyancePreference.None,
        });
        return PasskeyCeremonies.Start(session, clock, PasskeyCeremonyPurpose.Register, account.Id, options.ToJson());
    }

    public static async Task<Outcome<PasskeyView>> RegisterAsync(RegisterPasskeyRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IConfiguration configuration)
    {
        var cancellation = http.RequestAborted;
        var refusals = PasskeyRefusals.For(http);
        var user = CurrentUser.From(http.User)!;
        var account = await session.LoadAsync<Account>(user.UserId, cancellation);
        if (account is not { Active: true }) return refusals.NoAccount();
        if (account.Passkeys.Count >= MaximumPasskeys) return refusals.TooMany(MaximumPasskeys);
        var raw = RelyingParty.Attestation(request.Credential);
        if (raw is null) return refusals.Invalid("credential", "The passkey's credential could not be read.");
        var ceremony = await PasskeyCeremonies.TakeAsync(session, clock, request.CeremonyId, [PasskeyCeremonyPurpose.Register],
            account.Id, cancellation);
        if (ceremony is null)
        {
            Audit.Record(session, http, clock, "account.passkey-added", "Account", account.Id.ToString(), account.ClientId, "refused-challenge");
            return refusals.Expired();
        }
        // Adding a factor is "changing factors": a login that already has one proves it again after ten minutes (the
        // challenge is checked first, so a replayed answer is refused as such).
        if (SecondFactor.StepUp(user, clock.GetUtcNow(), account.HasSecondFactor) is { } stepUp) return refusals.StepUp(stepUp);

        RegisteredPublicKeyCredential credential;
        try
        {
            credential = await RelyingParty.Create(configuration).MakeNewCredentialAsync(new MakeNewCredentialParams
            {
                AttestationResponse = raw,
                OriginalOptions = CredentialCreateOptions.FromJson(ceremony.OptionsJson),
                IsCredentialIdUniqueToUserCallback = (candidate, _) =>
                    Task.FromResult(!account.Passkeys.Any(p => p.CredentialId.AsSpan().SequenceEqual(candidate.CredentialId))),
            }, cancellation);
        }
        catch (Fido2VerificationException exception)
        {
            Audit.Record(session, http, clock, "account.passkey-added", "Account", account.Id.ToString(), account.ClientId,
                $"refused:{exception.Code}");
            return refusals.Invalid("credential", "This passkey could not be verified. Try again.");
        }

        var now = clock.GetUtcNow();
        var passkey = new Passkey
        {
            CredentialId = credential.Id,
            PublicKey = credential.PublicKey,
            SignCount = credential.SignCount,
            Name = NameOrDefault(request.Name, account),
            CreatedAt = now,
        };
        account.Passkeys.Add(passkey);
        session.Store(account);
        Audit.Record(session, http, clock, "account.passkey-added", "Account", account.Id.ToString(), account.ClientId, "added");
        // The ceremony just verified the person with the new passkey: this session counts as proved (staff may go on).
        await SecondFactorProof.RenewAsync(http, session, account, now);
        return PasskeyView.Of(passkey);
    }

    private static string NameOrDefault(string? name, Account account) => name?.Trim() is { Length: > 0 } given
        ? given
        : $"Passkey {account.Passkeys.Count + 1}";
}
