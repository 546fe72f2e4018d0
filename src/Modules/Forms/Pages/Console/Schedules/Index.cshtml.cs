using Portal.Forms.Assessments;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Schedules;

/// <summary>
/// Recurring assessments of one client: ask for one every N weeks, or stop it. The same slices as
/// POST and DELETE /api/clients/{clientId}/assessment-schedules.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class IndexModel(
    IDocumentSession session, IMartenOutbox outbox, IValidator<ScheduleAssessmentRequest> validator, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    internal string ClientName { get; private set; } = string.Empty;

    internal IReadOnlyList<AssessmentScheduleView> Schedules { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal string? Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostScheduleAsync(string? instrument, int everyWeeks, CancellationToken cancellation)
    {
        var request = new ScheduleAssessmentRequest(instrument, everyWeeks);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
            return await RefusedAsync(StatusCodes.Status400BadRequest, [.. validation.Errors.Select(e => e.ErrorMessage).Distinct()]);

        outbox.Enroll(session);
        var outcome = await ScheduleAssessmentEndpoint.ScheduleAsync(ClientId, request, Context, outbox);
        if (!outcome.Succeeded)
            return outcome.Refusal.IsNotFound ? NotFound() : await RefusedAsync(outcome.Status, [.. outcome.Refusal.Messages()]);
        await session.SaveChangesAsync(cancellation);
        var name = Instruments.Find(instrument)!.Name;
        TempData["Saved"] = $"Asked for the {name} now and every {everyWeeks} week{(everyWeeks == 1 ? string.Empty : "s")}.";
        return RedirectToPage(new { clientId = ClientId });
    }

    public async Task<IActionResult> OnPostStopAsync(Guid scheduleId, CancellationToken cancellation)
    {
        outbox.Enroll(session);
        if (!(await StopAssessmentScheduleEndpoint.StopAsync(ClientId, scheduleId, Context, outbox)).Succeeded) return NotFound();
        await session.SaveChangesAsync(cancellation);
        TempData["Saved"] = "Stopped. Results already given stay on the client's record.";
        return RedirectToPage(new { clientId = ClientId });
    }

    private async Task<IActionResult> RefusedAsync(int status, IReadOnlyList<string> errors)
    {
        if (!await LoadAsync()) return NotFound();
        Errors = errors;
        Response.StatusCode = status;
        return Page();
    }

    private SliceContext Context => new(HttpContext, session, clock);

    private async Task<bool> LoadAsync()
    {
        var card = await FormsAccess.VisibleClientAsync(Context, ClientId);
        if (card is null) return false;
        ClientName = card.DisplayName;
        Schedules = (await GetAssessmentResultsEndpoint.LoadAsync(ClientId, Context)).Value?.Schedules ?? [];
        Saved = TempData["Saved"] as string;
        return true;
    }
}
