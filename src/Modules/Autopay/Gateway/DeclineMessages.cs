namespace Portal.Autopay.Gateway;

/// <summary>
/// The sentence for each common decline code (Stripe's codes, which the sandbox uses too). A processor's own message
/// is in English; a client who reads another language is shown the translation of the sentence for its code instead.
/// </summary>
internal static class DeclineMessages
{
    public const string Generic = "Your card was declined. Please use a different card or contact your bank.";

    private static readonly Dictionary<string, string> ByCode = new(StringComparer.Ordinal)
    {
        ["card_declined"] = Generic,
        ["generic_decline"] = Generic,
        ["do_not_honor"] = Generic,
        ["insufficient_funds"] = "Your card has insufficient funds. Please use a different card.",
        ["lost_card"] = "Your card was declined because it has been reported lost. Please use a different card.",
        ["stolen_card"] = "Your card was declined because it has been reported stolen. Please use a different card.",
        ["expired_card"] = "Your card has expired. Please use a different card.",
        ["incorrect_cvc"] = "Your card's security code is incorrect. Please check it and try again.",
        ["processing_error"] = "An error occurred while processing your card. Please try again in a moment.",
    };

    public static string? For(string? code) => code is not null && ByCode.TryGetValue(code, out var message) ? message : null;
}
