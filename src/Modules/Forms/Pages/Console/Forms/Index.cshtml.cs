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

    /// <summary>Whether the last post came from the JSON form (its part of the page opens again with what was typed).</summary>
    internal bool Json { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellation) => Forms = await GetFormsEndpoint.ListAsync(User, session, cancellation);

    /// <summary>A new form with one section and one question, opened in the builder.</summary>
    public Task<IActionResult> OnPostBuildAsync(CancellationToken cancellation) => Create(BuilderMapping.Starter(), null, cancellation);

    public Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        Json = true;
        var (schema, error) = SchemaJson.Read(Schema);
        return Create(schema, error, cancellation);
    }

    private async Task<IActionResult> Create(FormSchema? schema, string? error, CancellationToken cancellation)
    {
        var request = new CreateFormRequest(Title, schema);
        var validation = await validator.ValidateAsync(request, cancellation);
        if (error is not null || !validation.IsValid)
        {
            Errors = [.. error is null ? [] : new[] { error }, .. validation.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")];
            Forms = await GetFormsEndpoint.ListAsync(User, session, cancellation);
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var form = CreateFormEndpoint.Create(request, new SliceContext(HttpContext, session, clock));
        await session.SaveChangesAsync(cancellation);
        return Redirect(Json ? $"/console/forms/{form.Id}" : $"/console/forms/{form.Id}/builder");
    }
}
