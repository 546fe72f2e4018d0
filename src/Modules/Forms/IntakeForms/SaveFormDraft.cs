using System.Text.Json;

namespace Portal.Forms.IntakeForms;

/// <summary>The answers so far to <see cref="Version"/> of a form; checked only on submission.</summary>
public sealed record SaveFormDraftRequest(int Version, Dictionary<string, JsonElement>? Answers);

internal sealed class SaveFormDraftValidator : AbstractValidator<SaveFormDraftRequest>
{
    public SaveFormDraftValidator()
    {
        RuleFor(r => r.Version).GreaterThan(0);
        RuleFor(r => r.Answers!.Count).LessThanOrEqualTo(FormSchemaRules.MaxFields).When(r => r.Answers is not null).OverridePropertyName("answers");
    }
}

internal sealed record DraftSavedResponse(Guid FormId, int Version, DateTimeOffset SavedAt);

public static class SaveFormDraftEndpoint
{
    [WolverinePut("/api/portal/forms/{formId}/draft"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Put(Guid formId, SaveFormDraftRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var outcome = await SaveAsync(
            formId, new FormAnswers(request.Version, RawAnswers.FromJson(request.Answers)), new SliceContext(http, session, clock));
        return outcome.Map(d => new DraftSavedResponse(formId, request.Version, d.UpdatedAt)).ToResult(http);
    }

    /// <summary>
    /// Keeps what the client typed for the version's fields (unknown keys dropped). An answer longer than its field
    /// allows, or more answers than a field can take, refuses the whole draft naming the field and the limit: a draft
    /// is never stored cut.
    /// </summary>
    internal static async Task<Outcome<FormDraft>> SaveAsync(Guid formId, FormAnswers answered, SliceContext context)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        var found = await FillFormEndpoint.VersionForClientAsync(formId, answered.Version, context.Principal, session, cancellation);
        if (found is not { } target) return Refusal.NotFound(IntakeForm.Noun);

        var fields = target.Version.Schema.AllFields.ToDictionary(f => f.Key);
        var kept = answered.Answers.Values.Where(a => fields.ContainsKey(a.Key)).ToDictionary(a => a.Key, a => a.Value);
        if (OverLimits(kept, fields, context.Text) is { Count: > 0 } errors) return Refusal.Invalid(errors);

        var draft = await session.Query<FormDraft>()
            .Where(d => d.ClientId == target.Card.Id && d.FormId == formId).FirstOrDefaultAsync(cancellation)
            ?? new FormDraft { Id = Guid.CreateVersion7(), ClientId = target.Card.Id, FormId = formId };
        draft.FormVersion = answered.Version;
        draft.Answers = kept;
        draft.UpdatedAt = context.Clock.GetUtcNow();
        draft.SavedBy = context.User?.UserId;
        session.Store(draft);
        context.Audit("forms.draft.save", nameof(FormDraft), draft.Id.ToString(), target.Card.Id);
        return draft;
    }

    private static Dictionary<string, string[]> OverLimits(Dictionary<string, List<string>> answers, Dictionary<string, FormField> fields,
        Microsoft.Extensions.Localization.IStringLocalizer text)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (key, values) in answers)
        {
            var limit = FormEvaluator.MostCharacters(fields[key]);
            if (values.Count > FormSchemaRules.MaxOptions) errors[$"answers.{key}"] = [text["Give at most {0} answers.", FormSchemaRules.MaxOptions].Value];
            else if (values.Any(v => v.Length > limit)) errors[$"answers.{key}"] = [FormEvaluator.TooLong(limit, text)];
        }
        return errors;
    }
}
