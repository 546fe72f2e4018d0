using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Contacts;
using Portal.Practice.Roster;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

/// <summary>Front office adds, edits and removes the people who act for a client; the same slices as the JSON endpoints.</summary>
[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class ClientContactsModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox,
    IValidator<AddContactRequest> addValidator, IValidator<UpdateContactRequest> updateValidator) : PageModel
{
    [FromRoute]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string Name { get; set; } = string.Empty;

    [BindProperty]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public ContactRelationship Relationship { get; set; }

    [BindProperty]
    public bool CompletesTasks { get; set; }

    [BindProperty]
    public bool SeesResults { get; set; }

    [BindProperty]
    public bool ReceivesEmails { get; set; }

    public string ClientName { get; private set; } = string.Empty;

    internal IReadOnlyList<ContactView> Contacts { get; private set; } = [];

    public string? Message { get; private set; }

    public bool Failed { get; private set; }

    [TempData]
    public string? Flash { get; set; }

    internal static string Permissions(ContactView contact) => string.Join(", ", new[]
    {
        contact.CompletesTasks ? "completes tasks" : null,
        contact.SeesResults ? "sees results" : null,
        contact.ReceivesEmails ? "receives emails" : null,
    }.OfType<string>().DefaultIfEmpty("reads only"));

    public async Task<IActionResult> OnGetAsync()
    {
        Message = Flash;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        var request = new AddContactRequest(Name ?? string.Empty, Email ?? string.Empty, Relationship, CompletesTasks, SeesResults, ReceivesEmails);
        if ((await addValidator.ValidateAsync(request)).AsRefusal() is { } invalid) return await ShowAsync(invalid);
        var outcome = await outbox.CommitAsync(session,
            await AddContact.ExecuteAsync(ClientId, request, HttpContext, session, clock, HttpContext.RequestAborted));
        return await DoneAsync(outcome.Refusal, $"{request.Name.Trim()} was added.");
    }

    public async Task<IActionResult> OnPostUpdateAsync(Guid contactId)
    {
        var request = new UpdateContactRequest(Name ?? string.Empty, Email ?? string.Empty, Relationship, CompletesTasks, SeesResults, ReceivesEmails);
        if ((await updateValidator.ValidateAsync(request)).AsRefusal() is { } invalid) return await ShowAsync(invalid);
        var outcome = await outbox.CommitAsync(session,
            await UpdateContact.ExecuteAsync(ClientId, contactId, request, HttpContext, session, clock, HttpContext.RequestAborted));
        return await DoneAsync(outcome.Refusal, "Saved.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid contactId)
    {
        var outcome = await outbox.CommitAsync(session,
            await RemoveContact.ExecuteAsync(ClientId, contactId, HttpContext, session, clock, HttpContext.RequestAborted));
        return await DoneAsync(outcome.Refusal, "Removed.");
    }

    private async Task<IActionResult> DoneAsync(Refusal? refusal, string done)
    {
        if (refusal is not null) return await ShowAsync(refusal);
        Flash = done;
        return Redirect($"/console/clients/{ClientId}/contacts");
    }

    private async Task<IActionResult> ShowAsync(Refusal? refusal = null)
    {
        if (refusal is { IsNotFound: true }) return NotFound();
        var user = CurrentUser.From(User)!;
        var outcome = await ListContacts.ReadAsync(ClientId, user, session, HttpContext.RequestAborted);
        if (!outcome.Succeeded) return NotFound();
        Contacts = outcome.Value;
        ClientName = (await session.LoadAsync<RosterClient>(ClientId)) is { } client ? $"{client.FirstName} {client.LastName}" : string.Empty;
        if (refusal is not null)
        {
            Failed = true;
            Message = string.Join(" ", refusal.Messages());
        }
        return Page();
    }
}
