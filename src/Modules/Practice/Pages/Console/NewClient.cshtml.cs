using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Practice.Clients;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

[Authorize(Policy = PortalPolicies.FrontOffice)]
public sealed class NewClientModel(
    IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IValidator<AddClientRequest> validator) : PageModel
{
    [BindProperty]
    public string FirstName { get; set; } = string.Empty;

    [BindProperty]
    public string LastName { get; set; } = string.Empty;

    [BindProperty]
    public string Email { get; set; } = string.Empty;

    [BindProperty]
    public DateOnly? DateOfBirth { get; set; }

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var request = new AddClientRequest(FirstName ?? string.Empty, LastName ?? string.Empty, Email ?? string.Empty, DateOfBirth ?? default);
        if ((await validator.ValidateAsync(request)).AsRefusal() is { } invalid)
        {
            Message = string.Join(" ", invalid.Messages());
            return Page();
        }

        var outcome = await outbox.CommitAsync(session, await AddClient.ExecuteAsync(request, User, session, clock));
        Message = outcome.Problem();
        return outcome.Succeeded ? Redirect($"/console/clients/{outcome.Value.ClientId}") : Page();
    }
}
