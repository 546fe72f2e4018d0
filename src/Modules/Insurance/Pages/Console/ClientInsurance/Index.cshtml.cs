using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Insurance.Plans;
using Portal.Insurance.Review;
using Wolverine.Marten;

namespace Portal.Insurance.Pages.Console.ClientInsurance;

/// <summary>
/// The provider enters or corrects a client's insurance (recorded as the provider's change, needing no review), and
/// the review actions of the profile section post here: mark verified, or send back with a message. Another
/// provider's client is 404.
/// </summary>
[Authorize(Policy = PortalPolicies.Billing)]
public sealed class IndexModel(IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SavePlanRequest> validator,
    TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public PlanForm Form { get; set; } = new();

    internal InsuranceView? View { get; private set; }

    internal PlanFormView? Primary { get; private set; }

    internal PlanFormView? Secondary { get; private set; }

    internal string? Problem { get; private set; }

    internal bool Stale { get; private set; }

    internal IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync() => await LoadAsync(session) ? Page() : NotFound();

    public Task<IActionResult> OnPostSaveAsync() =>
        ChangeAsync(edit => SavePlanEndpoints.SaveFormAsync(edit, Form, validator, session, outbox, clock));

    public Task<IActionResult> OnPostRemoveAsync(string? rank, long expectedVersion) =>
        ChangeAsync(edit => PlanRanks.Parse(rank) is { } planRank
            ? RemovePlanEndpoints.RemoveAsync(edit, planRank, expectedVersion, session, outbox, clock)
            : Task.FromResult<Outcome<SavedInsurance>>(PlanRanks.Unknown));

    public Task<IActionResult> OnPostVerifyAsync(string? rank, long expectedVersion) =>
        ChangeAsync(edit => ReviewPlanEndpoints.ReviewAsync(edit, new PlanReview(rank, expectedVersion, null), session, outbox, clock));

    public Task<IActionResult> OnPostReturnAsync(string? rank, long expectedVersion, string? message) =>
        ChangeAsync(edit => ReviewPlanEndpoints.ReviewAsync(edit, new PlanReview(rank, expectedVersion, message ?? string.Empty), session,
            outbox, clock));

    internal string? ReviewError(string rank) => Errors.TryGetValue($"{rank}.message", out var messages) ? string.Join(" ", messages) : null;

    /// <summary>The provider's change, with the same slice as the JSON endpoint, in the page's outbox; committed by the page.</summary>
    private async Task<IActionResult> ChangeAsync(Func<InsuranceEdit, Task<Outcome<SavedInsurance>>> change)
    {
        var edit = await InsuranceAccess.ProviderEditsAsync(session, HttpContext, ClientId);
        if (!edit.Succeeded) return NotFound();
        outbox.Enroll(session);
        var changed = await change(edit.Value).CommittedAsync(session, HttpContext.RequestAborted);
        return changed.Succeeded ? Redirect($"/console/clients/{ClientId}#insurance") : await RefusedAsync(changed.Refusal);
    }

    /// <summary>The page again with why, read in a fresh session: the page's own holds the refused change.</summary>
    private async Task<IActionResult> RefusedAsync(Refusal refusal)
    {
        Stale = refusal.IsConflict;
        Errors = refusal.Errors ?? new Dictionary<string, string[]>();
        var fromPlanForm = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank");
        Problem = (Stale, fromPlanForm) switch
        {
            (true, true) => "This insurance was changed after you opened it (by the client or someone else), so your change was not saved. " +
                            "The current details are shown below; what you entered is still in the plan form. Check it and save again.",
            (true, false) => "This insurance was changed after you opened it (by the client or someone else), so your action was not " +
                             "carried out. The current details are shown below: check them and act again if you still want to.",
            _ => refusal.Detail ?? refusal.Title,
        };
        await using var fresh = store.LightweightSession();
        if (!await LoadAsync(fresh)) return NotFound();
        Response.StatusCode = refusal.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(IDocumentSession reading)
    {
        var view = await ReadInsuranceEndpoints.ReadAsync(ClientId, reading, clock, HttpContext);
        if (!view.Succeeded) return false;
        View = view.Value;
        Primary = FormFor("primary", View.Primary);
        Secondary = FormFor("secondary", View.Secondary);
        return true;
    }

    private PlanFormView FormFor(string rank, PlanView? plan)
    {
        var posted = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank") && Form.Rank == rank && (Stale || Errors.Count > 0);
        var form = posted ? Form : PlanForm.For(rank, View!.Version, plan);
        form.ExpectedVersion = View!.Version;
        return new PlanFormView(form, posted ? Errors : new Dictionary<string, string[]>(), ForClient: false, HasPlan: plan is not null);
    }
}
