using System.Text.Json;
using Portal.Contracts;

namespace Portal.Forms.IntakeForms;

/// <summary>The client's answers to <see cref="Version"/> of a form, by field key.</summary>
public sealed record SubmitFormRequest(int Version, Dictionary<string, JsonElement>? Answers);

internal sealed class SubmitFormValidator : AbstractValidator<SubmitFormRequest>
{
    public SubmitFormValidator()
    {
        RuleFor(r => r.Version).GreaterThan(0);
        RuleFor(r => r.Answers!.Count).LessThanOrEqualTo(FormSchemaRules.MaxFields).When(r => r.Answers is not null).OverridePropertyName("answers");
    }
}

/// <summary>What a client filled in: the answers to one published version of a form, as the JSON or the page sent them.</summary>
internal sealed record FormAnswers(int Version, RawAnswers Answers);

internal sealed record FormSubmittedResponse(Guid ResponseId, Guid FormId, int Version);

public static class SubmitFormEndpoint
{
    [WolverinePost("/api/portal/forms/{formId}/responses"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(Guid formId, SubmitFormRequest request, HttpContext http, IDocumentSession session, IMessageBus bus,
        TimeProvider clock)
    {
        var answered = new FormAnswers(request.Version, RawAnswers.FromJson(request.Answers));
        var outcome = await SubmitAsync(formId, answered, new SliceContext(http, session, clock), bus);
        return outcome.ToResult(http, response => Results.Created($"/api/form-responses/{response.Id}",
            new FormSubmittedResponse(response.Id, formId, response.FormVersion)));
    }

    /// <summary>
    /// Checks the answers against exactly the version named; stores only what was visible, answered and valid, once;
    /// removes the draft; publishes <see cref="IntakeFormCompleted"/>.
    /// </summary>
    internal static async Task<Outcome<FormResponse>> SubmitAsync(Guid formId, FormAnswers answered, SliceContext context, IMessageBus bus)
    {
        var session = context.Session;
        var found = await FillFormEndpoint.VersionForClientAsync(formId, answered.Version, context.Principal, session, context.Cancellation);
        if (found is not { } target) return Refusal.NotFound(IntakeForm.Noun);

        // Checked in the words the client was shown, so that what is wrong is said in them; the keys are the same.
        var words = target.Version.In(Portal.BuildingBlocks.Localization.PortalLanguages.Current);
        var evaluation = FormEvaluator.Evaluate(words?.Apply(target.Version.Schema) ?? target.Version.Schema, answered.Answers,
            text: context.Text);
        if (!evaluation.IsValid) return Refusal.Invalid(evaluation.Errors);

        var user = context.User!;
        var now = context.Clock.GetUtcNow();
        var response = new FormResponse
        {
            Id = Guid.CreateVersion7(),
            FormId = formId,
            FormVersion = target.Version.Number,
            FormTitle = target.Version.Title,
            ClientId = target.Card.Id,
            ProviderId = target.Card.ProviderId,
            PracticeId = target.Card.PracticeId,
            Answers = evaluation.Kept,
            SubmittedByUserId = user.UserId,
            SubmittedAt = now,
            Language = words is null ? Portal.BuildingBlocks.Localization.PortalLanguages.English
                : Portal.BuildingBlocks.Localization.PortalLanguages.Current,
        };
        session.Insert(response);
        session.DeleteWhere<FormDraft>(d => d.ClientId == target.Card.Id && d.FormId == formId);
        context.Audit("forms.response.submit", nameof(FormResponse), response.Id.ToString(), target.Card.Id);
        await bus.PublishAsync(new IntakeFormCompleted(Guid.CreateVersion7(), target.Card.Id, target.Card.ProviderId, formId,
            target.Version.Number, target.Version.Title, user.AsActor(), now));
        // For workflow conditions ("only when has_insurance is yes"): module to module in the outbox, never logged or emailed.
        await bus.PublishAsync(new IntakeFormAnswersShared(Guid.CreateVersion7(), target.Card.Id, formId, target.Version.Number,
            evaluation.Kept.ToDictionary(a => a.Key, a => string.Join(", ", a.Value)), now));
        return Outcome<FormResponse>.Ok(response, StatusCodes.Status201Created);
    }
}
