using Portal.Forms.IntakeForms;
using Portal.Forms.Pages.Shared;

namespace Portal.Forms.Pages.Console.Forms;

/// <summary>
/// A form's words in another language, field by field beside the English: the same slice as
/// PUT /api/forms/{id}/translations/{language}. Keys and choice values are not edited here: answers keep them.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed class TranslateModel(
    IDocumentStore store, IDocumentSession session, IValidator<TranslateFormRequest> validator, TimeProvider clock) : EditorPage
{
    [FromRoute]
    public Guid FormId { get; set; }

    [FromRoute]
    public string Language { get; set; } = string.Empty;

    [BindProperty]
    public int Revision { get; set; }

    internal FormDetail? Form { get; private set; }

    /// <summary>The words shown in the inputs: the saved ones, or those just posted when they were refused.</summary>
    internal FormTranslation Words { get; private set; } = new();

    internal string LanguageName => ContentLanguages.EnglishName(Language);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation)
    {
        if (ContentLanguages.Refuse(Language) is not null) return NotFound();
        var shown = await Show(cancellation);
        if (Form is not null) Words = Form.Translations.GetValueOrDefault(Language) ?? new FormTranslation();
        return shown;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellation)
    {
        if (ContentLanguages.Refuse(Language) is not null) return NotFound();
        var loaded = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        if (loaded is null) return NotFound();
        var request = Posted(loaded.Schema);
        Words = new FormTranslation
        {
            Title = request.Title ?? string.Empty, Sections = request.Sections!, Fields = request.Fields!,
        };
        var validation = await validator.ValidateAsync(request, cancellation);
        if (!validation.IsValid)
        {
            Errors = validation.Errors.Select(e => e.ErrorMessage).ToList();
            return await Show(cancellation);
        }
        // A session of its own, ended before the page is rendered, as the form editor does: a refusal frees the edit lock.
        await using (var saving = store.LightweightSession())
        {
            var outcome = await TranslateFormEndpoint.SaveAsync(FormId, Language, request, new SliceContext(HttpContext, saving, clock));
            if (outcome.Refusal is { IsNotFound: true }) return NotFound();
            await CommitAsync(outcome, saving, _ => $"Saved the {LanguageName} version. Publish the form to show it to clients.", cancellation);
        }
        return await Show(cancellation);
    }

    /// <summary>
    /// The inputs as the request: "s.{section}" a section title, "l.{field}" and "h.{field}" a field's label and help,
    /// "o.{field}.{n}" the label of the field's n-th choice (choice values may hold any character, keys may not).
    /// </summary>
    private TranslateFormRequest Posted(FormSchema schema)
    {
        var form = Request.Form;
        string? Value(string name) => form.TryGetValue(name, out var given) ? given.ToString() : null;
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = new Dictionary<string, FieldTranslation>(StringComparer.Ordinal);
        foreach (var section in schema.Sections)
        {
            if (Value($"s.{section.Key}") is { } title) sections[section.Key] = title;
            foreach (var field in section.Fields)
            {
                var options = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < field.Options.Count; i++)
                    if (Value($"o.{field.Key}.{i}") is { } label) options[field.Options[i]] = label;
                fields[field.Key] = new FieldTranslation
                {
                    Label = Value($"l.{field.Key}") ?? string.Empty, Help = Value($"h.{field.Key}"), Options = options,
                };
            }
        }
        return new TranslateFormRequest(Value("Title"), sections, fields, Revision);
    }

    private async Task<IActionResult> Show(CancellationToken cancellation)
    {
        Form = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        return Form is null ? NotFound() : Page();
    }
}
