using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Localization;

namespace Portal.Autopay.Accounts;

/// <summary>
/// The authorization a cardholder agrees to when they save a card for autopay. Change the text only together with
/// the version: enrolments keep the version and a hash of the text they agreed to.
/// </summary>
internal static class AutopayAuthorization
{
    public const string Version = "2026-11-01";

    public const string Text =
        "I authorize my provider's practice to charge the card I am saving for the balance of each session and " +
        "other amounts I owe to the practice, when they are posted to my account, until I cancel autopay. " +
        "I understand that the card details are held by the payment processor, not by the practice; that a failed " +
        "charge is retried the next day; that autopay is suspended after three failed charges in a row or when the " +
        "card expires; and that I can change the card or cancel autopay at any time on this page. " +
        "I confirm that I am the cardholder or am authorized to use this card.";

    public static readonly string TextSha256 = Sha256(Text);

    /// <summary>
    /// The text in the reader's language (ClientText.{language}.resx holds each language's wording of this version):
    /// a client agrees to the text they read, and the consent keeps that text's hash and language.
    /// </summary>
    public static string TextFor(IStringLocalizer<ClientText> texts) => texts[Text];

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
