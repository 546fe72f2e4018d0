using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Insurance.Plans;
using Wolverine.Marten;

namespace Portal.Insurance.Pages.Portal.Insurance;

/// <summary>
/// The client's insurance page: the primary and secondary plan with their review status, add, update or remove each
/// with card photos. Each handler runs the same slice as the JSON endpoint. A form refused for its fields, or
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

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync(session);
        if (!CanChange) Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync() =>
        ChangeAsync(edit => SavePlanEndpoints.SaveFormAsync(edit, Form, validator, session, outbox, clock), $"saved-{Form.Rank}");

    public Task<IActionResult> OnPostRemoveAsync(string? rank, long expectedVersion) =>
        ChangeAsync(edit => PlanRanks.Parse(rank) is { } planRank
            ? RemovePlanEndpoints.RemoveAsync(edit, planRank, expectedVersion, session, outbox, clock)
            : Task.FromResult<Outcome<SavedInsurance>>(PlanRanks.Unknown), $"removed-{rank}");

    /// <summary>What was done, as the English text the page translates (one text per plan).</summary>
    internal string? DoneMessage => Done switch
    {
        "saved-primary" => "Your primary insurance was saved. Your provider has been told and will check it.",
        "saved-secondary" => "Your secondary insurance was saved. Your provider has been told and will check it.",
        "removed-primary" => "Your primary insurance was removed. Your provider has been told.",
        "removed-secondary" => "Your secondary insurance was removed. Your provider has been told.",
        _ => null,
    };

    /// <summary>The client's change, with the same slice as the JSON endpoint, in the page's outbox; committed by the page.</summary>
    private async Task<IActionResult> ChangeAsync(Func<InsuranceEdit, Task<Outcome<SavedInsurance>>> change, string done)
    {
        var edit = await InsuranceAccess.ClientEditsAsync(session, HttpContext);
        if (!edit.Succeeded) return await RefusedAsync(edit.Refusal);
        outbox.Enroll(session);
        var changed = await change(edit.Value).CommittedAsync(session, HttpContext.RequestAborted);
        return changed.Succeeded ? RedirectToPage(new { done }) : await RefusedAsync(changed.Refusal);
    }

    /// <summary>The page again with why, read in a fresh session: the page's own holds the refused change.</summary>
    private async Task<IActionResult> RefusedAsync(Refusal refusal)
    {
        Stale = refusal.IsConflict;
        var fromPlanForm = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank");
        Problem = (Stale, fromPlanForm) switch
        {
            (true, true) => "Someone else changed your insurance after you opened this page, so your change was not saved. The current " +
                            "details are shown below, and what you entered is still in the form: check it against the current details and " +
                            "save again (choose any card photos again).",
            (true, false) => "Someone else changed your insurance after you opened this page, so nothing was removed. The current details " +
                             "are shown below: check them, then remove the plan again if you still want to.",
            _ => refusal.Detail ?? refusal.Title,
        };
        await using var fresh = store.LightweightSession();
        await LoadAsync(fresh, refusal.Errors);
        Response.StatusCode = refusal.Status;
        return Page();
    }

    private async Task LoadAsync(IDocumentSession reading, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var view = await ReadInsuranceEndpoints.ReadAsync(CurrentUser.From(User)!.ClientId!.Value, reading, clock, HttpContext);
        if (!view.Succeeded) return;
        View = view.Value;
        CanChange = View.ClientHasActiveAccount;
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
