namespace Portal.Forms.IntakeForms;

/// <summary>
/// The working form's words in another language (Spanish: <c>es</c>): its title, section titles by section key, and
/// field labels, help and choice labels by field key and choice value. <see cref="Revision"/> is the one the editor
/// loaded. Like the English schema, it reaches clients when the form is next published.
/// </summary>
public sealed record TranslateFormRequest(
    string? Title, Dictionary<string, string>? Sections, Dictionary<string, FieldTranslation>? Fields, int Revision);

internal sealed class TranslateFormValidator : AbstractValidator<TranslateFormRequest>
{
    public TranslateFormValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Revision).GreaterThan(0);
    }
}

public static class TranslateFormEndpoint
{
    [WolverinePut("/api/forms/{formId}/translations/{language}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid formId, string language, TranslateFormRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(formId, language, request, new SliceContext(http, session, clock));
        return outcome.Map(f => new FormSavedResponse(f.Id, f.Revision)).ToResult(http);
    }

    [WolverineDelete("/api/forms/{formId}/translations/{language}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Delete(Guid formId, string language, int revision, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var context = new SliceContext(http, session, clock);
        if (ContentLanguages.Refuse(language) is { } refused) return refused.ToProblem(http);
        var outcome = await PracticeContent.ForChangeAsync<IntakeForm>(context, formId, revision, "removing a translation");
        if (outcome.Succeeded && !outcome.Value.Translations.Remove(language)) return Refusal.NotFound("translation").ToProblem(http);
        if (outcome.Succeeded) PracticeContent.Changed(context, outcome.Value, "translation.remove", $"{formId}/{language}");
        return outcome.Map(f => new FormSavedResponse(f.Id, f.Revision)).ToResult(http);
    }

    /// <summary>
    /// Adds or changes the words in <paramref name="language"/>, checked against the working schema as the English ones
    /// are: every section and field of it has its words (no English left to a reader of the language), within the
    /// English limits, and nothing names a key or choice the schema does not have. Versions published keep theirs.
    /// </summary>
    internal static async Task<Outcome<IntakeForm>> SaveAsync(Guid formId, string language, TranslateFormRequest request,
        SliceContext context)
    {
        if (ContentLanguages.Refuse(language) is { } refused) return refused;
        var outcome = await PracticeContent.ForChangeAsync<IntakeForm>(context, formId, request.Revision);
        if (!outcome.Succeeded) return outcome;
        var form = outcome.Value;
        var translation = new FormTranslation
        {
            Title = request.Title!.Trim(),
            Sections = (request.Sections ?? []).ToDictionary(s => s.Key, s => (s.Value ?? string.Empty).Trim()),
            Fields = (request.Fields ?? []).ToDictionary(f => f.Key, f => new FieldTranslation
            {
                Label = (f.Value?.Label ?? string.Empty).Trim(),
                Help = string.IsNullOrWhiteSpace(f.Value?.Help) ? null : f.Value!.Help!.Trim(),
                Options = (f.Value?.Options ?? []).ToDictionary(o => o.Key, o => (o.Value ?? string.Empty).Trim()),
            }),
        };
        var errors = Check(form.Schema, translation);
        if (errors.Count > 0) return Refusal.Invalid(errors);

        form.Translations[language] = translation;
        PracticeContent.Changed(context, form, "translation.save", $"{formId}/{language}");
        return outcome;
    }

    /// <summary>What is missing or wrong in <paramref name="words"/> for <paramref name="schema"/>, by request field path.</summary>
    internal static Dictionary<string, string[]> Check(FormSchema schema, FormTranslation words)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string path, string message)
        {
            if (!errors.TryGetValue(path, out var list)) errors[path] = list = [];
            list.Add(message);
        }

        var sectionKeys = schema.Sections.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var fields = schema.AllFields.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var key in words.Sections.Keys.Where(k => !sectionKeys.Contains(k)))
            Add($"sections.{key}", $"The form has no section with the key '{key}'.");
        foreach (var key in words.Fields.Keys.Where(k => !fields.ContainsKey(k)))
            Add($"fields.{key}", $"The form has no field with the key '{key}'.");

        foreach (var section in schema.Sections)
        {
            var title = words.Sections.GetValueOrDefault(section.Key);
            if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
                Add($"sections.{section.Key}", $"Give the section '{section.Title}' a title (at most 200 characters).");
        }
        foreach (var field in fields.Values)
        {
            var path = $"fields.{field.Key}";
            var given = words.Fields.GetValueOrDefault(field.Key);
            if (given is null || string.IsNullOrWhiteSpace(given.Label) || given.Label.Length > 500)
                Add($"{path}.label", $"Give the field '{field.Label}' a label (at most 500 characters).");
            if (given?.Help is { Length: > 1000 }) Add($"{path}.help", "Help text has at most 1000 characters.");
            else if (field.Help is not null && given?.Help is null) Add($"{path}.help", $"The field '{field.Label}' has help text: give it too.");

            var options = given?.Options ?? [];
            foreach (var value in options.Keys.Where(v => !field.Options.Contains(v)))
                Add($"{path}.options", $"The field '{field.Label}' has no choice '{value}'.");
            foreach (var value in field.Options)
            {
                var label = options.GetValueOrDefault(value);
                if (string.IsNullOrWhiteSpace(label) || label.Length > 200)
                    Add($"{path}.options", $"Give the choice '{value}' a text of at most 200 characters.");
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
