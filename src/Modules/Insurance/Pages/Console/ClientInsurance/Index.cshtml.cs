using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Insurance.Plans;
using Wolverine.Marten;

namespace Portal.Insurance.Pages.Console.ClientInsurance;

/// <summary>
/// The provider enters or corrects a client's insurance (recorded as the provider's change, needing no review), and
/// the review actions of the profile section post here: mark verified, or send back with a message. Another
/// provider's client is 404.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
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

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(session, cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(IFormFile? front, IFormFile? back, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        var (card, _) = await InsuranceDesk.MaySeeAsync(session, user, ClientId, cancellation);
        if (card is null) return NotFound();
        return await AfterAsync(await InsurancePageActions.SaveAsync(session, outbox, validator, clock, HttpContext, card, user.AsActor(), Form,
            front, back, cancellation), cancellation);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string? rank, long expectedVersion, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        var (card, _) = await InsuranceDesk.MaySeeAsync(session, user, ClientId, cancellation);
        if (card is null) return NotFound();
        return await AfterAsync(await InsurancePageActions.RemoveAsync(session, outbox, clock, HttpContext, card, user.AsActor(), rank,
            expectedVersion, cancellation), cancellation);
    }

    public Task<IActionResult> OnPostVerifyAsync(string? rank, long expectedVersion, CancellationToken cancellation) =>
        ReviewAsync(rank, expectedVersion, null, cancellation);

    public Task<IActionResult> OnPostReturnAsync(string? rank, long expectedVersion, string? message, CancellationToken cancellation) =>
        ReviewAsync(rank, expectedVersion, message ?? string.Empty, cancellation);

    private async Task<IActionResult> ReviewAsync(string? rank, long expectedVersion, string? message, CancellationToken cancellation)
    {
        var user = CurrentUser.From(User)!;
        var (card, _) = await InsuranceDesk.MaySeeAsync(session, user, ClientId, cancellation);
        if (card is null) return NotFound();
        return await AfterAsync(await InsurancePageActions.ReviewAsync(session, outbox, clock, HttpContext, card, user.AsActor(), rank,
            expectedVersion, message, cancellation), cancellation);
    }

    internal string? ReviewError(string rank) => Errors.TryGetValue($"{rank}.message", out var messages) ? string.Join(" ", messages) : null;

    private async Task<IActionResult> AfterAsync(PageOutcome outcome, CancellationToken cancellation)
    {
        if (outcome.Succeeded) return Redirect($"/console/clients/{ClientId}#insurance");
        Stale = outcome.IsStale;
        Errors = outcome.Errors;
        var fromPlanForm = Request.HasFormContentType && Request.Form.ContainsKey("Form.Rank");
        Problem = (Stale, fromPlanForm) switch
        {
            (true, true) => "This insurance was changed after you opened it (by the client or someone else), so your change was not saved. " +
                            "The current details are shown below; what you entered is still in the plan form. Check it and save again.",
            (true, false) => "This insurance was changed after you opened it (by the client or someone else), so your action was not " +
                             "carried out. The current details are shown below: check them and act again if you still want to.",
            _ => outcome.Outcome.Detail ?? outcome.Outcome.Title,
        };
        bool found;
        if (outcome.SessionSpent)
        {
            await using var fresh = store.LightweightSession();
            found = await LoadAsync(fresh, cancellation);
        }
        else
        {
            session.EjectAllPendingChanges();
            found = await LoadAsync(session, cancellation);
        }
        if (!found) return NotFound();
        Response.StatusCode = outcome.Outcome.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(IDocumentSession reading, CancellationToken cancellation)
    {
        var (card, _) = await InsuranceDesk.MaySeeAsync(reading, CurrentUser.From(User)!, ClientId, cancellation);
        if (card is null) return false;
        View = await InsuranceDesk.ReadAsync(reading, clock, HttpContext, card, cancellation);
        await reading.SaveChangesAsync(cancellation);
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
