using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http;
using Portal.Autopay.Accounts;
using Portal.Autopay.Expiry;
using Portal.Autopay.Gateway;
using Portal.BuildingBlocks.Security;
using Wolverine;

namespace Portal.Autopay.Enrolment;

/// <summary>A refusal the caller can act on: an HTTP status, a sentence, and the form field it is about.</summary>
internal sealed record AutopayProblem(int Status, string Message, string? Field = null, string? Code = null)
{
    public IResult ToResult() => Field is null
        ? Results.Problem(title: Message, statusCode: Status, extensions: Code is null ? null : new Dictionary<string, object?> { ["code"] = Code })
        : Results.ValidationProblem(new Dictionary<string, string[]> { [Field] = [Message] }, title: Message, statusCode: Status,
            extensions: Code is null ? null : new Dictionary<string, object?> { ["code"] = Code });

    public static readonly AutopayProblem NoActiveAccount = new(StatusCodes.Status403Forbidden,
        "Autopay needs an active portal account. Please activate your account from your invitation email, or ask your provider to send a new invitation.",
        Code: "no_active_account");

    public static AutopayProblem StaleVersion => new(StatusCodes.Status409Conflict,
        "Your autopay settings changed since you opened this page. Please reload it and try again.", Code: "stale_version");
}

/// <summary>What enrolling and changing the card share: the card details from the form and the signed-in client.</summary>
internal static class CardOnFile
{
    public const string HealthSavingsCardMessage =
        "FSA and HSA cards can't be used for autopay. Please use a regular credit or debit card; you can still pay with your FSA or HSA card in other ways.";

    /// <summary>The signed-in client's roster card, or the reason they cannot use autopay.</summary>
    public static async Task<(AutopayClient? Client, AutopayProblem? Problem)> SignedInClientAsync(IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var user = CurrentUser.From(http.User);
        if (user?.ClientId is not { } clientId) return (null, AutopayProblem.NoActiveAccount);
        var client = await session.LoadAsync<AutopayClient>(clientId, cancellation);
        return client is { HasActiveAccount: true } ? (client, null) : (null, AutopayProblem.NoActiveAccount);
    }

    /// <summary>Exchanges the browser's card token for a saved card; refuses declined cards and FSA/HSA cards.</summary>
    public static async Task<(SavedCard? Card, AutopayProblem? Problem)> SaveAsync(IPaymentGateway gateway, CardDetails details, CancellationToken cancellation)
    {
        var result = await gateway.CreateCustomerTokenAsync(details.CardToken!, details.CardholderName!.Trim(), details.BillingPostalCode!.Trim(), cancellation);
        if (result.Decline is { } decline)
            return (null, new AutopayProblem(StatusCodes.Status400BadRequest, decline.Message, "cardToken", decline.Code));

        var card = result.Card!;
        if (card.Funding is CardFunding.Fsa or CardFunding.Hsa)
        {
            await gateway.RemoveCustomerTokenAsync(card.CustomerToken, cancellation);
            return (null, new AutopayProblem(StatusCodes.Status400BadRequest, HealthSavingsCardMessage, "cardToken", "health_savings_card"));
        }

        return (new SavedCard(card.CustomerToken, card.Brand, card.Last4, card.ExpMonth, card.ExpYear,
            details.CardholderName.Trim(), details.BillingPostalCode.Trim().ToUpperInvariant()), null);
    }

    public static AutopayConsent Consent(HttpContext http, DateTimeOffset now) => new(
        AutopayAuthorization.Version,
        AutopayAuthorization.TextSha256,
        now,
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 300)] : null);

    /// <summary>Schedules the reminder 30 days before the card expires and the suspension when it has expired.</summary>
    public static async Task ScheduleExpiryChecksAsync(IMessageBus bus, Guid clientId, SavedCard card, DateTimeOffset now)
    {
        var end = CardExpiry.EndOfValidity(card.ExpMonth, card.ExpYear);
        await CardExpiryCheckHandler.ScheduleAsync(bus, new CardExpiryCheck(clientId, card.CustomerToken, CardExpiryStage.Reminder, end - CardExpiryCheckHandler.ReminderLead), now);
        await CardExpiryCheckHandler.ScheduleAsync(bus, new CardExpiryCheck(clientId, card.CustomerToken, CardExpiryStage.Expired, end), now);
    }
}

/// <summary>The card fields every card form sends: never a card number, only the processor's single-use token.</summary>
internal sealed record CardDetails(string? CardToken, string? CardholderName, string? BillingPostalCode);

internal static class CardDetailsRules
{
    public static void AddCardDetailsRules<T>(this AbstractValidator<T> validator,
        System.Linq.Expressions.Expression<Func<T, string?>> cardToken,
        System.Linq.Expressions.Expression<Func<T, string?>> cardholderName,
        System.Linq.Expressions.Expression<Func<T, string?>> billingPostalCode,
        System.Linq.Expressions.Expression<Func<T, string?>> consentVersion,
        System.Linq.Expressions.Expression<Func<T, bool>> agreed)
    {
        validator.RuleFor(cardToken).NotEmpty().WithMessage("Enter your card details.")
            .MaximumLength(100).WithMessage("The card token is not valid.");
        validator.RuleFor(cardholderName).NotEmpty().WithMessage("Enter the name on the card.")
            .MaximumLength(100).WithMessage("The name on the card can be at most 100 characters.");
        validator.RuleFor(billingPostalCode).NotEmpty().WithMessage("Enter the billing postal code.")
            .Matches("^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$").WithMessage("Enter a valid billing postal code.");
        validator.RuleFor(consentVersion).Equal(AutopayAuthorization.Version)
            .WithMessage("The autopay authorization has changed. Please read it again and agree to the current version.");
        validator.RuleFor(agreed).Equal(true)
            .WithMessage("Please agree to the autopay authorization to save your card.");
    }
}
