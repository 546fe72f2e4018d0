using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Sample.Notes;
using Wolverine.Marten;

namespace Portal.Sample.Pages.Console;

/// <summary>A client's notes and a form to add one; the page runs the same slices as the JSON API.</summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class SampleNotesModel(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid ClientId { get; set; }

    [BindProperty]
    public string Text { get; set; } = string.Empty;

    public IReadOnlyList<NoteView> Notes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var outcome = await ListNotesEndpoint.ListAsync(ClientId, CurrentUser.From(User)!, session);
        if (!outcome.Succeeded) return NotFound();
        Notes = outcome.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        outbox.Enroll(session);
        var outcome = await AddNoteEndpoint.AddAsync(ClientId, new AddNote(Text ?? string.Empty), CurrentUser.From(User)!, HttpContext,
            session, outbox, clock);
        if (!outcome.Succeeded)
        {
            if (outcome.Refusal.IsNotFound) return NotFound();
            outcome.Refusal.AddTo(ModelState);
            return await OnGetAsync();
        }
        await session.SaveChangesAsync();
        return Redirect($"/console/sample/clients/{ClientId}/notes");
    }
}
