namespace Portal.Autopay.SandboxGateway;

using Portal.Autopay.Gateway;

/// <summary>
/// The sandbox processor's documented test cards (the list is in src/Modules/Autopay/README.md; keep both in step).
/// The numbers follow the well-known Stripe test numbers. Any other number that passes the Luhn check, has a known
/// brand and an expiry in the future behaves like a good credit card. FSA and HSA cards are recognised by their BIN.
/// </summary>
internal static class TestCards
{
    /// <summary>Test BIN (first six digits) of FSA cards: Visa 409999.</summary>
    public const string FsaBin = "409999";

    /// <summary>Test BIN (first six digits) of HSA cards: Mastercard 559999.</summary>
    public const string HsaBin = "559999";

    /// <summary>What a test card does: a refusal when it is verified (saved), a refusal on every charge, or neither.</summary>
    public sealed record Behaviour(CardFunding Funding, GatewayDecline? VerifyDecline, GatewayDecline? ChargeDecline);

    public static readonly GatewayDecline GenericDecline = Known("card_declined");
    public static readonly GatewayDecline InsufficientFunds = Known("insufficient_funds");
    public static readonly GatewayDecline LostCard = Known("lost_card");
    public static readonly GatewayDecline StolenCard = Known("stolen_card");
    public static readonly GatewayDecline ExpiredCard = Known("expired_card");
    public static readonly GatewayDecline IncorrectCvc = Known("incorrect_cvc");
    public static readonly GatewayDecline ProcessingError = Known("processing_error");

    private static GatewayDecline Known(string code) => new(code, DeclineMessages.For(code)!);

    private static readonly Dictionary<string, Behaviour> Special = new(StringComparer.Ordinal)
    {
        ["4000056655665556"] = new(CardFunding.Debit, null, null),
        ["4000000000000002"] = new(CardFunding.Credit, GenericDecline, null),
        ["4000000000009995"] = new(CardFunding.Credit, InsufficientFunds, null),
        ["4000000000009987"] = new(CardFunding.Credit, LostCard, null),
        ["4000000000009979"] = new(CardFunding.Credit, StolenCard, null),
        ["4000000000000069"] = new(CardFunding.Credit, ExpiredCard, null),
        ["4000000000000127"] = new(CardFunding.Credit, IncorrectCvc, null),
        ["4000000000000119"] = new(CardFunding.Credit, ProcessingError, null),
        // Saving the card succeeds, but every charge is declined.
        ["4000000000000341"] = new(CardFunding.Credit, null, GenericDecline),
    };

    public static Behaviour For(string digits)
    {
        if (digits.StartsWith(FsaBin, StringComparison.Ordinal)) return new(CardFunding.Fsa, null, null);
        if (digits.StartsWith(HsaBin, StringComparison.Ordinal)) return new(CardFunding.Hsa, null, null);
        return Special.TryGetValue(digits, out var behaviour) ? behaviour : new(CardFunding.Credit, null, null);
    }
}
