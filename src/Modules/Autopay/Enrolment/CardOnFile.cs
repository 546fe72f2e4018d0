using JasperFx.Events;
using Portal.BuildingBlocks.Localization;
using Portal.Autopay.Accounts;
using Portal.Autopay.Expiry;
using Portal.Autopay.Gateway;
using Portal.Autopay.Roster;

namespace Portal.Autopay.Enrolment;

/// <summary>What every card form sends: never a card number, only the processor's single-use token, and the consent.</summary>
public abstract record CardForm(
    string? CardToken, string? CardholderName, string? BillingPostalCode, string? ConsentVersion, bool AgreedToAuthorization);

internal abstract class CardFormValidator<T> : AbstractValidator<T> where T : CardForm
{
    protected CardFormValidator()
    {
        RuleFor(r => r.CardToken).NotEmpty().WithMessage("Enter your card details.")
            .MaximumLength(100).WithMessage("The card token is not valid.");
        RuleFor(r => r.CardholderName).NotEmpty().WithMessage("Enter the name on the card.")
            .MaximumLength(100).WithMessage("The name on the card can be at most 100 characters.");
        RuleFor(r => r.BillingPostalCode).NotEmpty().WithMessage("Enter the billing postal code.")
            .Matches("^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$").WithMessage("Enter a valid billing postal code (2 to 10 letters, digits, spaces or dashes).");
        RuleFor(r => r.ConsentVersion).Equal(AutopayAuthorization.Version)
            .WithMessage("The autopay authorization has changed. Please read it again and agree to the current version.");
        RuleFor(r => r.AgreedToAuthorization).Equal(true)
            .WithMessage("Please agree to the autopay authorization to save your card.");
    }
}

/// <summary>The signed-in client's autopay stream, opened for writing by enrolling, changing the card or cancelling.</summary>
internal sealed record CardholderAutopay(AutopayClient Client, IEventStream<AutopayAccount> Stream, Actor Actor)
{
    public Guid StreamId => Stream.Id;

    /// <summary>A change made with a stale view of the autopay is refused; without a version it is not checked.</summary>
    public bool IsStale(long? seen) => seen is { } version && version != Stream.CurrentVersion;

    /// <summary>What the client sees after <paramref name="account"/> took the event just appended.</summary>
    public AutopayView ViewAfter(AutopayAccount account) => AutopayView.From(Client.Id, account, (Stream.CurrentVersion ?? 0) + 1);
}

/// <summary>What enrolling, changing the card and cancelling share: the signed-in client, the saved card, the refusals.</summary>
internal static class CardOnFile
{
    public const string HealthSavingsCardMessage =
        "FSA and HSA cards can't be used for autopay. Please use a regular credit or debit card; " +
        "you can still pay with your FSA or HSA card in other ways.";

    public static readonly Refusal NoActiveAccount = Refused(StatusCodes.Status403Forbidden,
        "Autopay needs an active portal account. Please activate your account from your invitation email, " +
        "or ask your provider to send a new invitation.",
        "no_active_account");

    public static readonly Refusal StaleVersion = Refused(StatusCodes.Status409Conflict,
        "Your autopay settings changed since you opened this page. Please reload it and try again.", "stale_version");

    /// <summary>A refusal with the stable <c>code</c> member callers branch on.</summary>
    public static Refusal Refused(int status, string title, string code) => new Refusal(status, title).With("code", code);

    /// <summary>The card itself was refused: a 400 about the <c>cardToken</c> field, titled with the same sentence.</summary>
    public static Refusal CardRefused(string message, string code) =>
        Refusal.Invalid(new Dictionary<string, string[]> { ["cardToken"] = [message] }, message).With("code", code);

    public static string? CodeOf(Refusal refusal) => refusal.Extensions?.GetValueOrDefault("code") as string;

    /// <summary>The signed-in client's roster card, or the reason they cannot use autopay.</summary>
    public static async Task<Outcome<AutopayClient>> SignedInClientAsync(IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        if (CurrentUser.From(http.User)?.ClientId is not { } clientId) return NoActiveAccount;
        var client = await session.LoadAsync<AutopayClient>(clientId, cancellation);
        return client is { HasActiveAccount: true } ? client : NoActiveAccount;
    }

    public static async Task<Outcome<CardholderAutopay>> OpenAsync(IDocumentSession session, HttpContext http, CancellationToken cancellation)
    {
        var client = await SignedInClientAsync(session, http, cancellation);
        if (!client.Succeeded) return client.Refusal;
        var stream = await session.Events.FetchForWriting<AutopayAccount>(AutopayStream.For(client.Value.Id), cancellation);
        return new CardholderAutopay(client.Value, stream, CurrentUser.From(http.User)!.AsActor());
    }

    /// <summary>
    /// The signed-in client's autopay when it has a card on file (active or suspended) and the client saw its current
    /// version; otherwise why not (<paramref name="notEnrolled"/> says what the client cannot do without enrolling).
    /// </summary>
    public static async Task<Outcome<CardholderAutopay>> OpenEnrolledAsync(IDocumentSession session, HttpContext http, long? seenVersion,
        string notEnrolled, CancellationToken cancellation)
    {
        var opened = await OpenAsync(session, http, cancellation);
        if (!opened.Succeeded) return opened;
        if (opened.Value.Stream.Aggregate is not { Status: AutopayStatus.Active or AutopayStatus.Suspended, Card: not null })
            return Refused(StatusCodes.Status409Conflict, notEnrolled, "not_enrolled");
        return opened.Value.IsStale(seenVersion) ? StaleVersion : opened;
    }

    /// <summary>Exchanges the browser's card token for a saved card; refuses declined cards and FSA/HSA cards.</summary>
    public static async Task<Outcome<SavedCard>> SaveAsync(IPaymentGateway gateway, Guid clientId, CardForm form, CancellationToken cancellation)
    {
        var name = form.CardholderName!.Trim();
        var postalCode = form.BillingPostalCode!.Trim();
        var result = await gateway.CreateCustomerTokenAsync(clientId, form.CardToken!, name, postalCode, cancellation);
        if (result.Decline is { } decline) return CardRefused(decline.Message, decline.Code);

        var card = result.Card!;
        if (card.Funding is CardFunding.Fsa or CardFunding.Hsa)
        {
            await gateway.RemoveCustomerTokenAsync(card.CustomerToken, cancellation);
            return CardRefused(HealthSavingsCardMessage, "health_savings_card");
        }

        return new SavedCard(card.CustomerToken, card.Brand, card.Last4, card.ExpMonth, card.ExpYear, name, postalCode.ToUpperInvariant());
    }

    /// <summary>The consent to the authorization as this client read it: the version, and the hash and language of its text.</summary>
    public static AutopayConsent Consent(HttpContext http, DateTimeOffset now) => new(
        AutopayAuthorization.Version,
        AutopayAuthorization.Sha256(AutopayAuthorization.TextFor(ClientText.For(http))),
        now,
        http.Connection.RemoteIpAddress?.ToString(),
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 300)] : null)
    {
        Language = PortalLanguages.Current,
    };

    /// <summary>The reminder 30 days before the card expires and the suspension when it has expired, each at its time.</summary>
    public static IEnumerable<object> ExpiryChecks(Guid clientId, SavedCard card, DateTimeOffset now)
    {
        var end = CardExpiry.EndOfValidity(card.ExpMonth, card.ExpYear);
        yield return CardExpiryCheckHandler.At(
            new CardExpiryCheck(clientId, card.CustomerToken, CardExpiryStage.Reminder, end - CardExpiryCheckHandler.ReminderLead), now);
        yield return CardExpiryCheckHandler.At(new CardExpiryCheck(clientId, card.CustomerToken, CardExpiryStage.Expired, end), now);
    }

    /// <summary>Tells the provider (and whoever else listens) how the client changed their autopay.</summary>
    public static AutopayChanged Changed(CardholderAutopay autopay, Guid providerId, AutopayChange change, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), autopay.Client.Id, providerId, change, autopay.Actor, now, null);
}
