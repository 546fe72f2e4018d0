using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Practice.Clients;
using Wolverine.Marten;

namespace Portal.Practice.Pages.Console;

[Authorize(Policy = PortalPolicies.Provider)]
public sealed class NewClientModel(IDocumentSession session, TimeProvider clock, IMartenOutbox outbox, IValidator<AddClientRequest> validator) : PageModel
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
        Message = PageResults.Invalid(await validator.ValidateAsync(request));
        if (Message is not null) return Page();

        var (result, messages) = await AddClientEndpoint.Post(request, User, session, clock);
        Message = await PageResults.CommitAsync(result, messages, session, outbox);
        if (Message is not null) return Page();
        var created = (result as IValueHttpResult)?.Value as ClientAdded;
        return Redirect(created is null ? "/console/clients" : $"/console/clients/{created.ClientId}");
    }
}
