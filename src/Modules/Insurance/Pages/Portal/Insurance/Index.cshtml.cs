using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine.Marten;

namespace Portal.Insurance.Pages.Portal.Insurance;

/// <summary>
/// The client's insurance page: the primary and secondary plan with their review status, add, update or remove each
/// with card photos. Each handler runs the same desk action as the JSON endpoint. A form refused for its fields, or
/// because someone else saved first, is shown again with what the client typed, next to the current details.
/// </summary>
[Authorize(Policy = PortalPolicies.Client)]
public sealed class IndexModel(IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SavePlanRequest> validator,
    TimeProvider clock) : PageModel
{
    [BindProperty]
    public PlanForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "done")]
    public string? Done { get; set; }

    internal InsuranceView? View { get; private set; }

    internal bool CanChange { get; private set; }

    internal PlanFormView? Primary { get; private set; }

    internal PlanFormView? Secondary { get; private set; }

    internal string? Problem { get; private set; }

    internal bool Stale { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        await LoadAsync(session, cancellation);
        if (!CanChange) Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(IFormFile? front, IFormFile? back, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        var (card, refusal) = await InsuranceDesk.ClientMayChangeAsync(session, user, cancellation);
        if (card is null) return await RefusedAsync(new PageOutcome(refusal!, new Dictionary<string, string[]>()), cancellation);
        var outcome = await InsurancePageActions.SaveAsync(session, outbox, validator, clock, HttpContext, card, user.AsActor(), Form, front, back,
            cancellation);
        return outcome.Succeeded ? RedirectToPage(new { done = $"saved-{Form.Rank}" }) : await RefusedAsync(outcome, cancellation);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? rank, long expectedVersion, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        var (card, refusal) = await InsuranceDesk.ClientMayChangeAsync(session, user, cancellation);
        if (card is null) return await RefusedAsync(new PageOutcome(refusal!, new Dictionary<string, string[]>()), cancellation);
        var outcome = await InsurancePageActions.RemoveAsync(session, outbox, clock, HttpContext, card, user.AsActor(), rank, expectedVersion,
            cancellation);
        return outcome.Succeeded ? RedirectToPage(new { done = $"removed-{rank}" }) : await RefusedAsync(outcome, cancellation);
    }

    internal string? DoneMessage => Done switch
    {
        "saved-primary" or "saved-secondary" =>
            $"Your {Done[6..]} insurance was saved. Your provider has been told and will check it.",
        "removed-primary" or "removed-secondary" => $"Your {Done[8..]} insurance was removed. Your provider has been told.",
        _ => null,
    };

    private async Task<IActionResult> RefusedAsync(PageOutcome outcome, CancellationToken cancellation)
    {
        Stale = outcome.IsStale;
        var fromPlanForm = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank");
        Problem = (Stale, fromPlanForm) switch
        {
            (true, true) => "Someone else changed your insurance after you opened this page, so your change was not saved. The current " +
                            "details are shown below, and what you entered is still in the form: check it against the current details and " +
                            "save again (choose any card photos again).",
            (true, false) => "Someone else changed your insurance after you opened this page, so nothing was removed. The current details " +
                             "are shown below: check them, then remove the plan again if you still want to.",
            _ => outcome.Outcome.Detail ?? outcome.Outcome.Title,
        };
        if (outcome.SessionSpent)
        {
            await using var fresh = store.LightweightSession();
            await LoadAsync(fresh, cancellation, outcome.Errors);
        }
        else
        {
            session.EjectAllPendingChanges();
            await LoadAsync(session, cancellation, outcome.Errors);
        }
        Response.StatusCode = outcome.Outcome.Status;
        return Page();
    }

    private async Task LoadAsync(IDocumentSession reading, CancellationToken cancellation, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var user = CurrentUser.From(User)!;
        var (card, _) = await InsuranceDesk.MaySeeAsync(reading, user, user.ClientId!.Value, cancellation);
        CanChange = card is { HasActiveAccount: true };
        if (card is null) return;
        View = await InsuranceDesk.ReadAsync(reading, clock, HttpContext, card, cancellation);
        await reading.SaveChangesAsync(cancellation);
        Primary = FormFor("primary", View.Primary, errors);
        Secondary = FormFor("secondary", View.Secondary, errors);
    }

    /// <summary>The posted form (with its errors) for the plan it was posted for, moved to the current version when it was stale.</summary>
    private PlanFormView FormFor(string rank, PlanView? plan, IReadOnlyDictionary<string, string[]>? errors)
    {
        var posted = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank") && Form.Rank == rank && (Stale || errors is { Count: > 0 });
        var form = posted ? Form : PlanForm.For(rank, View!.Version, plan);
        form.ExpectedVersion = View!.Version;
        return new PlanFormView(form, posted && errors is not null ? errors : new Dictionary<string, string[]>(),
            ForClient: true, HasPlan: plan is not null);
    }
}
