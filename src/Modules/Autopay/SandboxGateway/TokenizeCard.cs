using Microsoft.Extensions.Localization;
using Portal.Autopay.Gateway;

namespace Portal.Autopay.SandboxGateway;

/// <summary>
/// The card form's script posts the card here, straight from the browser, as it would to a real processor's hosted
/// fields. The number and security code are checked and then dropped: only a single-use token, the brand, the last four
/// digits and the expiry come back, and only those are kept (in the sandbox's own schema). Nothing here is logged.
/// </summary>
public sealed record TokenizeCardRequest(string? Number, int ExpMonth, int ExpYear, string? Cvc);

internal sealed record CardTokenResponse(string Token, string Brand, string Last4, int ExpMonth, int ExpYear);

/// <summary>
/// The card form's script shows these messages as they come, so they are in the reader's language (the request's),
/// looked up when a request is checked: the validator itself is made once.
/// </summary>
internal sealed class TokenizeCardRequestValidator : AbstractValidator<TokenizeCardRequest>
{
    public TokenizeCardRequestValidator(IStringLocalizer<ClientText> texts)
    {
        RuleFor(r => r.Number)
            .Must(n => CardNumbers.Digits(n) is { Length: >= 12 and <= 19 })
            .WithMessage(_ => texts["Enter your card number (12 to 19 digits)."]);
        RuleFor(r => r.ExpMonth).InclusiveBetween(1, 12).WithMessage(_ => texts["Enter the expiry month (1 to 12)."]);
        RuleFor(r => r.ExpYear).InclusiveBetween(2000, 2099).WithMessage(_ => texts["Enter the expiry year (four digits)."]);
        RuleFor(r => r.Cvc)
            .Must(c => c is { Length: 3 or 4 } && c.All(char.IsAsciiDigit))
            .WithMessage(_ => texts["Enter the 3 or 4 digit security code."]);
    }
}

public static class TokenizeCardEndpoint
{
    public const string Route = "/sandbox-gateway/tokens";

    /// <summary>A card token must be used within this time.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    [WolverinePost(Route)]
    [Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(TokenizeCardRequest request, IDocumentStore store, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var texts = ClientText.For(http);
        IResult Refused(string field, string code, string message) => RefusedIn(field, code, texts[message]);

        var digits = CardNumbers.Digits(request.Number)!;
        if (!CardNumbers.PassesLuhn(digits))
            return Refused("number", "incorrect_number", "Your card number is incorrect. Please check it and try again.");
        var brand = CardNumbers.Brand(digits);
        if (brand is null)
            return Refused("number", "unsupported_brand", "We accept Visa, Mastercard, American Express and Discover cards.");
        if (request.Cvc!.Length != (brand == "American Express" ? 4 : 3))
            return Refused("cvc", "invalid_cvc", brand == "American Express"
                ? "American Express cards have a 4 digit security code on the front."
                : "Enter the 3 digit security code from the back of your card.");
        var now = clock.GetUtcNow();
        if (CardExpiry.HasExpired(request.ExpMonth, request.ExpYear, now))
            return Refused("expMonth", "expired_card", "Your card has expired. Please use a card with a future expiry date.");
        if (request.ExpYear > now.Year + 20)
            return Refused("expYear", "invalid_expiry_year", "The expiry year is too far in the future. Please check it.");

        var behaviour = TestCards.For(digits);
        var token = new SandboxCardToken
        {
            Id = SandboxIds.New("tok"),
            ClientId = CurrentUser.From(http.User)?.ClientId,
            Brand = brand,
            Last4 = digits[^4..],
            ExpMonth = request.ExpMonth,
            ExpYear = request.ExpYear,
            Funding = behaviour.Funding,
            VerifyDecline = behaviour.VerifyDecline,
            ChargeDecline = behaviour.ChargeDecline,
            CreatedAt = now,
        };
        await using var session = store.LightweightSession();
        session.Insert(token);
        await session.SaveChangesAsync(cancellation);

        return Results.Ok(new CardTokenResponse(token.Id, token.Brand, token.Last4, token.ExpMonth, token.ExpYear));
    }

    private static IResult RefusedIn(string field, string code, string message) =>
        Results.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            title: message,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
