using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Autopay.Accounts;
using Portal.Autopay.Enrolment;
using Portal.Autopay.Gateway;
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

    internal static string AuthorizationText => AutopayAuthorization.Text;

    internal static string AuthorizationVersion => AutopayAuthorization.Version;

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
        Problem = string.Join(" ", refusal.Messages());
        refusal.AddTo(ModelState);
        return await RedisplayAsync(refusal.Status);
    }

    private async Task<bool> ValidAsync<T>(IValidator<T> validator, T request)
    {
        var result = await validator.ValidateAsync(request, HttpContext.RequestAborted);
        foreach (var error in result.Errors) ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        if (!result.IsValid) Problem = "Please correct the highlighted fields.";
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
        return true;
    }

    private IActionResult NoAccount()
    {
        Problem = CardOnFile.NoActiveAccount.Title;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    internal string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;
}
