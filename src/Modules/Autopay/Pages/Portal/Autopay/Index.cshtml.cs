using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Autopay.Accounts;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Gateway;
using Microsoft.Extensions.Localization;
using Wolverine.Marten;

namespace Portal.Autopay.Pages.Portal.Autopay;

/// <summary>
/// The client's autopay page: enrol with consent, change the card, cancel. The card number never reaches this page:
/// autopay.js posts it to the processor's tokenization endpoint and submits only the token here. Each handler runs
/// the same slice as the JSON endpoint.
/// </summary>
[Authorize(Policy = BuildingBlocks.Security.PortalPolicies.Client)]
public sealed class IndexModel(IDocumentSession session, IMartenOutbox outbox, IPaymentGateway gateway, TimeProvider clock,
    IValidator<EnrolInAutopayRequest> enrolValidator, IValidator<UpdateAutopayCardRequest> updateValidator) : PageModel
{
    [BindProperty]
    public string? CardToken { get; set; }

    [BindProperty]
    public string? CardholderName { get; set; }

    [BindProperty]
    public string? BillingPostalCode { get; set; }

    [BindProperty]
    public bool AgreedToAuthorization { get; set; }

    [BindProperty]
    public string? ConsentVersion { get; set; }

    [BindProperty]
    public long? Version { get; set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    internal AutopayView? Autopay { get; private set; }

    internal string? Problem { get; private set; }

    internal GatewayBrowserSettings Gateway => gateway.BrowserSettings;

    private IStringLocalizer<ClientText> Texts => ClientText.For(HttpContext);

    /// <summary>In Stripe mode, the SetupIntent the Payment Element confirms.</summary>
    internal CardEntry? Entry { get; private set; }

    internal IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    /// <summary>
    /// Stripe.js and its frames, exactly the sources Stripe's security guide lists for them (docs.stripe.com/security/guide,
    /// "Content Security Policy"), on this page only.
    /// </summary>
    internal static void AllowStripe(HttpContext http)
    {
        PageContentSecurity.Allow(http, "script-src", "https://js.stripe.com", "https://*.js.stripe.com");
        PageContentSecurity.Allow(http, "frame-src", "https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com");
        PageContentSecurity.Allow(http, "connect-src", "https://api.stripe.com");
    }

    /// <summary>The authorization in the reader's language: what they agree to, and what their consent's hash is of.</summary>
    internal string AuthorizationText => AutopayAuthorization.TextFor(Texts);

    internal static string AuthorizationVersion => AutopayAuthorization.Version;

    /// <summary>What autopay.js and autopay-stripe.js say, by name, in the reader's language (rendered as JSON on the page).</summary>
    internal IReadOnlyDictionary<string, string> ScriptTexts => ScriptTextKeys.ToDictionary(k => k.Key, k => Texts[k.Value].Value);

    internal static readonly IReadOnlyDictionary<string, string> ScriptTextKeys = new Dictionary<string, string>
    {
        ["number"] = "Enter your card number.",
        ["expMonth"] = "Choose the expiry month.",
        ["expYear"] = "Choose the expiry year.",
        ["cvc"] = "Enter the security code.",
        ["name"] = "Enter the name on the card.",
        ["postal"] = "Enter the billing postal code.",
        ["agree"] = "Please agree to the autopay authorization to save your card.",
        ["signedOut"] = "Your session has ended. Please sign in again.",
        ["notChecked"] = "We couldn't check your card just now. Please try again.",
        ["unreachable"] = "We couldn't reach the payment processor. Check your connection and try again.",
        ["formNotLoaded"] = "The card form could not be loaded from our payment processor. Please reload the page or try again later.",
        ["notConfirmed"] = "Your card could not be confirmed. Please try again.",
    };

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync()) return NoAccount();
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostEnrolAsync()
    {
        var request = new EnrolInAutopayRequest(CardToken, CardholderName, BillingPostalCode, ConsentVersion, AgreedToAuthorization);
        if (!await ValidAsync(enrolValidator, request)) return await RedisplayAsync();
        var outcome = await outbox.CommitAsync(session,
            await EnrolInAutopay.ExecuteAsync(request, session, gateway, clock, HttpContext, HttpContext.RequestAborted), HttpContext.RequestAborted);
        return await FinishAsync(outcome.Refusal, "enrolled");
    }

    public async Task<IActionResult> OnPostUpdateCardAsync()
    {
        var request = new UpdateAutopayCardRequest(CardToken, CardholderName, BillingPostalCode, ConsentVersion, AgreedToAuthorization, Version);
        if (!await ValidAsync(updateValidator, request)) return await RedisplayAsync();
        var outcome = await outbox.CommitAsync(session,
            await UpdateAutopayCard.ExecuteAsync(request, session, gateway, clock, HttpContext, HttpContext.RequestAborted),
            HttpContext.RequestAborted);
        return await FinishAsync(outcome.Refusal, "updated");
    }

    public async Task<IActionResult> OnPostCancelAsync()
    {
        var outcome = await outbox.CommitAsync(session,
            await CancelAutopay.ExecuteAsync(new CancelAutopayRequest(Version), session, clock, HttpContext, HttpContext.RequestAborted),
            HttpContext.RequestAborted);
        return await FinishAsync(outcome.Refusal, "cancelled");
    }

    private async Task<IActionResult> FinishAsync(Refusal? refusal, string done)
    {
        if (refusal is null) return RedirectToPage(new { done });
        if (refusal.Status == StatusCodes.Status403Forbidden) return NoAccount();
        var code = CardOnFile.CodeOf(refusal);
        Problem = string.Join(" ", refusal.Messages().Select(message => Words(message, code)));
        refusal.AddTo(ModelState);
        return await RedisplayAsync(refusal.Status);
    }

    private async Task<bool> ValidAsync<T>(IValidator<T> validator, T request)
    {
        var result = await validator.ValidateAsync(request, HttpContext.RequestAborted);
        foreach (var error in result.Errors) ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        if (!result.IsValid) Problem = Texts["Please correct the highlighted fields."];
        return result.IsValid;
    }

    private async Task<IActionResult> RedisplayAsync(int status = StatusCodes.Status400BadRequest)
    {
        if (!await LoadAsync()) return NoAccount();
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var client = await CardOnFile.SignedInClientAsync(session, HttpContext, HttpContext.RequestAborted);
        if (!client.Succeeded) return false;
        Autopay = await GetMyAutopay.ExecuteAsync(session, clock, HttpContext, client.Value.Id, HttpContext.RequestAborted);
        Payments = await GetMyAutopay.PaymentsAsync(session, client.Value.Id, HttpContext.RequestAborted);
        if (Gateway.IsStripe)
        {
            AllowStripe(HttpContext);
            Entry = await gateway.BeginCardEntryAsync(client.Value.Id, HttpContext.RequestAborted);
            if (Entry.Unavailable)
                Problem ??= Texts["The card form can't be shown just now because the payment processor cannot be reached. Please try again in a few minutes."];
        }
        return true;
    }

    private IActionResult NoAccount()
    {
        Problem = Texts[CardOnFile.NoActiveAccount.Title];
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    internal string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? Words(entry.Errors[0].ErrorMessage, null) : null;

    /// <summary>
    /// A slice's or processor's English sentence in the reader's language: its own translation, else the translation
    /// of the sentence for its decline code (a processor words its declines itself), else as it came.
    /// </summary>
    internal string Words(string message, string? declineCode)
    {
        var translated = Texts[message];
        if (!translated.ResourceNotFound) return translated;
        return DeclineMessages.For(declineCode) is { } known ? Texts[known] : message;
    }

    /// <summary>Why autopay is paused, in the reader's language when the facts were recorded; else the English reason.</summary>
    internal string? SuspendedBecause(AutopayView autopay) => autopay.Cause switch
    {
        { Kind: SuspensionCause.Declined } c => Texts[
            "The {0} card ending {1} was declined {2} times in a row. The last answer was: {3} Autopay is paused until the card on file is updated on this page.",
            c.Brand, c.Last4, c.Failures, Words(c.DeclineMessage ?? DeclineMessages.Generic, c.DeclineCode)],
        { Kind: SuspensionCause.Expired } c => Texts[
            "The {0} card ending {1} expired at the end of {2}. Autopay is paused until a new card is added on this page.",
            c.Brand, c.Last4, $"{c.ExpMonth:00}/{c.ExpYear}"],
        { Kind: SuspensionCause.Removed } c => Texts[
            "The {0} card ending {1} was removed at the payment processor. Autopay is paused until a card is added again on this page.",
            c.Brand, c.Last4],
        _ => autopay.SuspendedReason is { } reason ? Words(reason, null) : null,
    };
}
