using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;
using Portal.Intake.Requesting;
using Portal.Intake.Roster;
using Wolverine.Marten;

namespace Portal.Intake.Pages.Console.Requests;

/// <summary>
/// A one-off request to one client ("please sign the practice policies"): the same slice as
/// POST /api/clients/{clientId}/requests, a one-task assignment the client sees under My tasks.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class NewRequestModel(
    IDocumentSession session, IMartenOutbox outbox, IValidator<RequestTaskRequest> validator, TimeProvider clock) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    internal IntakeClient Client { get; private set; } = null!;

    internal IReadOnlyList<CatalogItem> Catalog { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    internal string? Saved { get; private set; }

    /// <summary>The title and due days sent, shown again when the request is refused.</summary>
    internal string? ChosenTitle { get; private set; }

    internal int? ChosenDue { get; private set; }

    internal TaskKind? ChosenKind { get; private set; }

    internal string? ChosenSubject { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(cancellation) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(TaskKind kind, string? subjectId, string? title, int? dueInDays, CancellationToken cancellation)
    {
        if (!await LoadAsync(cancellation)) return NotFound();
        // Whatever happens next, a refused form comes back with what was chosen.
        (ChosenKind, ChosenSubject, ChosenTitle, ChosenDue) = (kind, subjectId?.Trim(), title, dueInDays);
        // A client discharged since the form was opened: refused before anything else is checked, nothing is created.
        if (AssignmentAccess.NoNewWorkForDischarged([Client]) is { } discharged)
        {
            Errors = [.. discharged.Messages()];
            Response.StatusCode = discharged.Status;
            return Page();
        }
        var subject = kind is TaskKind.AddInsurance or TaskKind.EnrollInAutopay || string.IsNullOrWhiteSpace(subjectId) ? null : subjectId.Trim();
        var request = new RequestTaskRequest(kind, subject, string.IsNullOrWhiteSpace(title) ? null : title.Trim(), dueInDays);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
        {
            Errors = [.. validation.Errors.Select(e => e.ErrorMessage).Distinct()];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        outbox.Enroll(session);
        var outcome = await RequestTaskEndpoint.RequestAsync(ClientId, request, HttpContext, session, outbox, clock, cancellation);
        if (outcome.Refusal is { IsNotFound: true }) return NotFound();
        if (!outcome.Succeeded)
        {
            Errors = [.. outcome.Refusal.Messages()];
            Response.StatusCode = outcome.Status;
            return Page();
        }

        await session.SaveChangesAsync(cancellation);
        TempData["Saved"] = $"Requested \u201c{outcome.Value.Title}\u201d. {Client.DisplayName} sees it under My tasks.";
        return RedirectToPage(new { clientId = ClientId });
    }

    private async Task<bool> LoadAsync(CancellationToken cancellation)
    {
        // The page is opened right after adding a client too: a client the copy does not know yet is waited for.
        var card = await AssignmentAccess.ClientToAskAsync(session, ClientId, User, cancellation);
        if (card is null) return false;
        Client = card;
        Catalog = await WorkflowBuilder.CatalogAsync(session, card.PracticeId, cancellation);
        Saved = TempData["Saved"] as string;
        return true;
    }
}
