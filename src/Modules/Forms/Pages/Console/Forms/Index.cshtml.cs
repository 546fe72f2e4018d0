using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.BuildingBlocks.Security;
using Portal.Forms.IntakeForms;

namespace Portal.Forms.Pages.Console.Forms;

[Authorize(Policy = PortalPolicies.Provider)]
public sealed class IndexModel(IDocumentSession session, IValidator<CreateFormRequest> validator, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Schema { get; set; }

    internal IReadOnlyList<FormSummary> Forms { get; private set; } = [];

    internal IReadOnlyList<string> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellation) => Forms = await GetFormsEndpoint.ListAsync(User, session, cancellation);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        var (schema, error) = SchemaJson.Read(Schema);
        var request = new CreateFormRequest(Title, schema);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (error is not null || !validation.IsValid)
        {
            Errors = [.. error is null ? [] : new[] { error }, .. validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];
            Forms = await GetFormsEndpoint.ListAsync(User, session, cancellation);
            return Page();
        }
        var form = CreateFormEndpoint.Create(request, User, HttpContext, session, clock);
        await session.SaveChangesAsync(cancellation);
        return Redirect($"/console/forms/{form.Id}");
    }
}
