using Microsoft.Extensions.Localization;

namespace Portal.Invitations.Passkeys;

/// <summary>
/// The passkey endpoints' refusals in the reader's language: passkeys.js shows them as they come, on the client's pages
/// as on staff's. The request's language decides (<see cref="ClientText.For"/>): a client reads their own, staff and
/// support English, a signed-out visitor the language of the sign-in page. Each English sentence is its key in
/// ClientText.resx; a sentence without an entry would show in English (LanguageResourceTests and the Spanish guard
/// tests catch that).
/// </summary>
internal sealed class PasskeyRefusals(IStringLocalizer text)
{
    public const string CredentialMissing = "The passkey's credential is missing.";
    public const string AnswerUnreadable = "The passkey's answer could not be read.";

    public static PasskeyRefusals For(HttpContext http) => new(ClientText.For(http));

    /// <summary>A sentence of the passkey slices with its status.</summary>
    public Refusal Say(int status, string sentence) => new(status, text[sentence]);

    /// <summary>400 naming the field, its message and the title in the reader's language.</summary>
    public Refusal Invalid(string field, string message) => Refusal.Invalid(
        new Dictionary<string, string[]> { [field] = [text[message]] }, text[Refusal.InvalidFieldsTitle]);

    /// <summary>The ceremony was answered before, has expired, or is not this one's.</summary>
    public Refusal Expired() => Invalid("ceremonyId", PasskeyCeremonies.ExpiredMessage);

    public Refusal SignInFailed() => Say(StatusCodes.Status401Unauthorized, SignInWithPasskeyEndpoints.FailedMessage);

    public Refusal TooMany(int maximum) => new(StatusCodes.Status409Conflict,
        text["You have {0} passkeys, the most one login can hold. Remove one you no longer use first.", maximum]);

    public Refusal NoAccount() =>
        new(StatusCodes.Status404NotFound, text["No such account."], text["The account was not found."]);

    public Refusal NoPasskey() =>
        new(StatusCodes.Status404NotFound, text["No such passkey."], text["The passkey was not found."]);

    /// <summary>The shared step-up refusal (its members kept for the caller), in the reader's words.</summary>
    public Refusal StepUp(Refusal stepUp) => stepUp with
    {
        Title = text[stepUp.Title],
        Detail = stepUp.Detail is { } detail ? text[detail].Value : null,
    };
}
