using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Autopay.Charges;
using Portal.Autopay.Console;
using Portal.Autopay.Gateway;
using Wolverine.Marten;

namespace Portal.Autopay.Pages.Console.Autopay;

/// <summary>
/// A client's charges for the practice's billing roles: post a charge to the card on file, see each charge's
/// failures and refunds, refund part or all of a paid one with a reason. The forms run the JSON endpoints' slices
/// (<see cref="PostBalance"/>, <see cref="RefundCharge"/>); each form carries its own idempotency key, so a double
/// submit charges or refunds once.
/// </summary>
[Authorize(Policy = PortalPolicies.Billing)]
public sealed class ChargesModel(IDocumentSession session, IMartenOutbox outbox, IPaymentGateway gateway, TimeProvider clock,
    IValidator<PostBalanceRequest> chargeValidator, IValidator<RefundChargeRequest> refundValidator) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? ClientReason { get; set; }

    [BindProperty]
    public string? ChargeKey { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    internal ClientAutopayView? View { get; private set; }

    internal string? Problem { get; private set; }

    /// <summary>The key a new form posts with; kept when a refused form is shown again so its retry stays the same request.</summary>
    internal string FormKey { get; private set; } = NewKey();

    public async Task<IActionResult> OnGetAsync() => await ShowAsync(StatusCodes.Status200OK);

    public async Task<IActionResult> OnPostChargeAsync()
    {
        var request = new PostBalanceRequest(Cents(Amount), Description, IdempotencyKey);
        var refusal = (await chargeValidator.ValidateAsync(request, HttpContext.RequestAborted)).AsRefusal();
        if (refusal is null)
        {
            var outcome = await outbox.CommitAsync(session,
                await PostBalance.ExecuteAsync(ClientId, request, session, gateway, clock, HttpContext, HttpContext.RequestAborted),
                HttpContext.RequestAborted);
            if (outcome.Succeeded) return RedirectToPage(new { ClientId, done = "charged" });
            refusal = outcome.Refusal;
        }
        return await RefusedAsync(refusal);
    }

    public async Task<IActionResult> OnPostRefundAsync()
    {
        var request = new RefundChargeRequest(Cents(Amount), Reason, IdempotencyKey) { ClientReason = ClientReason };
        var refusal = (await refundValidator.ValidateAsync(request, HttpContext.RequestAborted)).AsRefusal();
        if (refusal is null)
        {
            var outcome = await outbox.CommitAsync(session, await RefundCharge.ExecuteAsync(ClientId, ChargeKey ?? string.Empty, request,
                session, gateway, clock, HttpContext, HttpContext.RequestAborted), HttpContext.RequestAborted);
            if (outcome.Succeeded) return RedirectToPage(new { ClientId, done = "refunded" });
            refusal = outcome.Refusal;
        }
        return await RefusedAsync(refusal);
    }

    private async Task<IActionResult> RefusedAsync(Refusal refusal)
    {
        if (refusal.IsNotFound && refusal.Title == "No such client.") return NotFound();
        session.EjectAllPendingChanges();
        Problem = string.Join(" ", refusal.Messages().Select(m => m.Replace("(in cents: 50 to 1000000)", "", StringComparison.Ordinal)
            .Replace("(in cents: 1 to 1000000)", "", StringComparison.Ordinal).Replace(" .", ".", StringComparison.Ordinal)));
        FormKey = IdempotencyKey is { Length: > 0 } key ? key : NewKey();
        return await ShowAsync(refusal.Status);
    }

    private async Task<IActionResult> ShowAsync(int status)
    {
        var view = await ClientAutopay.ReadAsync(ClientId, session, clock, HttpContext, HttpContext.RequestAborted);
        await session.SaveChangesAsync(HttpContext.RequestAborted);
        if (!view.Succeeded) return view.Refusal.IsNotFound ? NotFound() : Forbid();
        View = view.Value;
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Dollars as typed ("120", "120.50", "$1,200.00") in cents; 0 when it is not an amount (the validator says so).</summary>
    private static long Cents(string? typed) =>
        decimal.TryParse(typed?.Trim().TrimStart('$'), NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
            CultureInfo.InvariantCulture, out var dollars) && decimal.Round(dollars, 2) == dollars && dollars < 100_000_000m
            ? (long)(dollars * 100)
            : 0;

    private static string NewKey() => "console-" + Guid.CreateVersion7().ToString("N");
}
