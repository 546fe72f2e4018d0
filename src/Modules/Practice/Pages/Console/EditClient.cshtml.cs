using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Clients;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>
/// Front office corrects a client's name or date of birth: the same slice as <c>PUT /api/console/clients/{id}</c>,
/// each refusal beside its field with what was typed kept. The login email is not here: it changes only through the
/// client's own change or a correction support applies. A client the caller may not see answers 404.
/// </summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class EditClientModel(IDocumentSession session, IMartenOutbox outbox, IValidator<UpdateClientRequest> validator)
    : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string? FirstName { get; set; }

    [BindProperty]
    public string? LastName { get; set; }

    [BindProperty]
    public DateOnly? DateOfBirth { get; set; }

    /// <summary>How the client pays; empty while the practice does not know (and then left as it is).</summary>
    [BindProperty]
    public ClientBilling? Billing { get; set; }

    /// <summary>The roster version the form was opened at: a change by someone else meanwhile is refused, not overwritten.</summary>
    [BindProperty]
    public long Version { get; set; }

    public string ClientName { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await VisibleClientAsync() is not { } client) return NotFound();
        (FirstName, LastName, DateOfBirth, Billing, Version) =
            (client.FirstName, client.LastName, client.DateOfBirth, client.Billing, client.Version);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // A date the browser could not send (or an empty one) is the validator's "Enter a real date of birth." below.
        ModelState.Remove(nameof(DateOfBirth));
        var request = new UpdateClientRequest(FirstName ?? string.Empty, LastName ?? string.Empty, DateOfBirth ?? default,
            Version: Version) { Billing = Billing };
        var outcome = (await validator.ValidateAsync(request)).AsRefusal() is { } invalid
            ? Outcome<ClientDetails>.Refused(invalid)
            : await outbox.CommitAsync(session, await UpdateClient.ExecuteAsync(ClientId, request, HttpContext, session,
                HttpContext.RequestAborted));
        if (outcome.Succeeded) return Redirect($"/console/clients/{ClientId}");
        if (outcome.Refusal.IsNotFound) return NotFound();
        outcome.Refusal.AddTo(ModelState);
        Response.StatusCode = outcome.Status;
        return await VisibleClientAsync() is null ? NotFound() : Page();
    }

    private async Task<RosterClient?> VisibleClientAsync()
    {
        await using var query = session.DocumentStore.QuerySession();
        var client = await query.LoadAsync<RosterClient>(ClientId, HttpContext.RequestAborted);
        if (client is null || CurrentUser.From(User) is not { } user
            || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam)) return null;
        ClientName = $"{client.FirstName} {client.LastName}".Trim();
        Email = client.Email;
        ViewData["Title"] = $"Edit {ClientName}";
        return client;
    }
}
