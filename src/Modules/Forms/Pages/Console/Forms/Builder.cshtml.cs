using System.Text.RegularExpressions;
using Portal.Forms.IntakeForms;
using Portal.Forms.Pages.Shared;
using Portal.Forms.Withdrawing;
using Wolverine.Marten;

namespace Portal.Forms.Pages.Console.Forms;

/// <summary>
/// The field-by-field form builder. Every action is a plain form post carrying the whole draft as typed; the action is
/// applied, and the result goes through the same validator and save slice as the JSON editor and PUT /api/forms/{id}
/// (revision check under the edit lock). A refused save changes nothing and shows the typed draft with its errors.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
public sealed partial class BuilderModel(
    IDocumentStore store, IDocumentSession session, IMartenOutbox outbox, IValidator<SaveFormRequest> validator, TimeProvider clock)
    : PageModel
{
    [FromRoute]
    public Guid FormId { get; set; }

    [BindProperty]
    public BuilderDraft Draft { get; set; } = new();

    internal FormDetail? Form { get; private set; }

    /// <summary>Messages by schema path ("schema.sections[1].fields[0].showWhen.field"), or "" for the whole form.</summary>
    internal Dictionary<string, List<string>> Errors { get; private set; } = new(StringComparer.OrdinalIgnoreCase);

    internal string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? done, int? version, CancellationToken cancellation)
    {
        Form = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        if (Form is null) return NotFound();
        Draft = BuilderMapping.From(Form.Title, Form.Revision, Form.Schema);
        Message = done switch
        {
            "saved" => "Saved. Publish to show it to clients.",
            "added" => "Added and saved.",
            "moved" => "Moved and saved.",
            "removed" => "Removed and saved.",
            "published" when version is { } number => $"Published version {number}.",
            "withdrawn" => WithdrawContentEndpoint.Done(IntakeForm.Noun),
            _ => null,
        };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(CancellationToken cancellation) => Commit("saved", null, cancellation);

    public Task<IActionResult> OnPostAddSectionAsync(CancellationToken cancellation) =>
        Commit("added", BuilderMapping.AddSection(Draft), cancellation);

    public Task<IActionResult> OnPostAddFieldAsync(int section, CancellationToken cancellation) =>
        Commit("added", BuilderMapping.AddField(Draft, section), cancellation);

    public Task<IActionResult> OnPostMoveSectionAsync(int section, int by, CancellationToken cancellation) =>
        Commit("moved", BuilderMapping.MoveSection(Draft, section, by), cancellation);

    public Task<IActionResult> OnPostRemoveSectionAsync(int section, CancellationToken cancellation)
    {
        BuilderMapping.RemoveSection(Draft, section);
        return Commit("removed", null, cancellation);
    }

    public Task<IActionResult> OnPostMoveFieldAsync(int section, int field, int by, CancellationToken cancellation) =>
        Commit("moved", BuilderMapping.MoveField(Draft, section, field, by), cancellation);

    public Task<IActionResult> OnPostRemoveFieldAsync(int section, int field, CancellationToken cancellation)
    {
        BuilderMapping.RemoveField(Draft, section, field);
        return Commit("removed", $"s{section}", cancellation);
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellation)
    {
        var outcome = await PublishFormEndpoint.PublishAsync(
            FormId, new PublishFormRequest(Draft.Revision), new SliceContext(HttpContext, session, clock), outbox);
        return await Committed(outcome, version => $"done=published&version={version.Number}", cancellation);
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken cancellation)
    {
        var outcome = await WithdrawContentEndpoint.WithdrawAsync<IntakeForm>(FormId, new SliceContext(HttpContext, session, clock), outbox);
        return await Committed(outcome, _ => "done=withdrawn", cancellation);
    }

    /// <summary>After publishing or withdrawing: back to the builder with what was done, or the saved form with the refusal.</summary>
    private async Task<IActionResult> Committed<T>(Outcome<T> outcome, Func<T, string> done, CancellationToken cancellation)
    {
        if (outcome.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            return Redirect($"/console/forms/{FormId}/builder?{done(outcome.Value)}");
        }
        Form = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        if (Form is null) return NotFound();
        Draft = BuilderMapping.From(Form.Title, Form.Revision, Form.Schema);
        Errors[string.Empty] = [.. outcome.Refusal.Messages()];
        return Refused(outcome.Status);
    }

    /// <summary>Saves the draft as it now stands, through the save slice; a refusal re-shows what was typed.</summary>
    private async Task<IActionResult> Commit(string done, string? anchor, CancellationToken cancellation)
    {
        Form = (await GetFormsEndpoint.DetailAsync(FormId, User, session, cancellation)).Value;
        if (Form is null) return NotFound();

        var (schema, errors) = BuilderMapping.ToSchema(Draft);
        var request = new SaveFormRequest(Draft.Title, schema, Draft.Revision);
        var validation = await validator.ValidateAsync(request, cancellation);
        foreach (var failure in validation.Errors)
        {
            if (!errors.TryGetValue(failure.PropertyName, out var list)) errors[failure.PropertyName] = list = [];
            list.Add(failure.ErrorMessage);
        }
        if (errors.Count > 0)
        {
            Errors = errors;
            return Refused(StatusCodes.Status400BadRequest);
        }

        // A session of its own, ended here: a refused save must give back the form's edit lock (its transaction) at once.
        await using var saving = store.LightweightSession();
        var outcome = await SaveFormEndpoint.SaveAsync(FormId, request, new SliceContext(HttpContext, saving, clock));
        if (!outcome.Succeeded)
        {
            if (outcome.Refusal.IsNotFound) return NotFound();
            // Like the JSON editor: the typed draft stays, with the current revision, so saving again is a deliberate choice.
            Errors[string.Empty] = [.. outcome.Refusal.Messages()];
            Draft.Revision = Form.Revision;
            return Refused(outcome.Status);
        }
        await saving.SaveChangesAsync(cancellation);
        return Redirect($"/console/forms/{FormId}/builder?done={done}{(string.IsNullOrEmpty(anchor) ? string.Empty : "#" + anchor)}");
    }

    private PageResult Refused(int status)
    {
        HttpContext.Response.StatusCode = status;
        return Page();
    }

    // What the page needs to show errors beside the inputs they are about.

    internal IReadOnlyList<string> ErrorsAt(string path) => Errors.TryGetValue(path, out var list) ? list : [];

    internal static string SectionPath(int s) => $"schema.sections[{s}]";

    internal static string FieldPath(int s, int f) => $"schema.sections[{s}].fields[{f}]";

    /// <summary>
    /// Every error with where it is, in words a provider knows ("Question 1 'Who did you see?' in section 2"), and the
    /// input it is about.
    /// </summary>
    internal IEnumerable<(string Where, string Anchor, string Message)> Summary()
    {
        foreach (var (path, messages) in Errors)
        {
            var (where, anchor) = Describe(path);
            foreach (var message in messages) yield return (where, anchor, message);
        }
    }

    private (string Where, string Anchor) Describe(string path)
    {
        if (path.Length == 0) return (string.Empty, string.Empty);
        if (path.Equals("Title", StringComparison.OrdinalIgnoreCase)) return ("Title", "title");
        var match = PathShape().Match(path);
        if (!match.Success) return ("Form", "sections");
        var s = int.Parse(match.Groups["s"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var section = s < Draft.Sections.Count ? Draft.Sections[s] : null;
        var where = $"Section {s + 1} \u201c{section?.Title}\u201d";
        var anchor = $"s{s}";
        if (match.Groups["f"].Success)
        {
            var f = int.Parse(match.Groups["f"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var field = section is not null && f < section.Fields.Count ? section.Fields[f] : null;
            where = $"Question {f + 1} \u201c{field?.Label}\u201d in section {s + 1}";
            anchor = $"s{s}f{f}";
        }
        var input = match.Groups["rest"].Success ? InputSuffix(match.Groups["rest"].Value) : null;
        return (where, input is null ? anchor : $"{anchor}-{input}");
    }

    /// <summary>The id suffix of the input a schema property is typed in.</summary>
    internal static string? InputSuffix(string property) => property.ToLowerInvariant() switch
    {
        "key" => "key",
        "title" => "title",
        "label" => "label",
        "help" => "help",
        "type" => "type",
        "options" => "options",
        "min" => "min",
        "max" => "max",
        "mindate" => "mindate",
        "maxdate" => "maxdate",
        "maxlength" => "maxlength",
        "pattern" => "pattern",
        "showwhen.field" => "when",
        "showwhen.value" => "value",
        _ => null,
    };

    /// <summary>The fields before this point of the form, which a condition here may look at.</summary>
    internal IReadOnlyList<BuilderField> EarlierThan(int section, int field) =>
        Draft.Sections.Take(section).SelectMany(s => s.Fields)
            .Concat(section < Draft.Sections.Count ? Draft.Sections[section].Fields.Take(field) : [])
            .Where(f => !string.IsNullOrWhiteSpace(f.Key))
            .ToList();

    [GeneratedRegex(@"^schema\.sections\[(?<s>\d+)\](?:\.fields\[(?<f>\d+)\])?(?:\.(?<rest>.+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PathShape();
}
