using System.Text.Json;
using Portal.Contracts;

namespace Portal.Forms.IntakeForms;

public sealed record PublishFormRequest(int Revision);

internal sealed class PublishFormValidator : AbstractValidator<PublishFormRequest>
{
    public PublishFormValidator() => RuleFor(r => r.Revision).GreaterThan(0);
}

internal sealed record FormPublishedResponse(Guid FormId, int Version);

public static class PublishFormEndpoint
{
    [WolverinePost("/api/forms/{formId}/publish"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid formId, PublishFormRequest request, HttpContext http, IDocumentSession session, IMessageBus bus,
        TimeProvider clock)
    {
        var outcome = await PublishAsync(formId, request, new SliceContext(http, session, clock), bus);
        return outcome.Map(v => new FormPublishedResponse(formId, v.Number)).ToResult(http);
    }

    /// <summary>
    /// Freezes the working schema as the next version (a copy: later edits never reach it) and publishes
    /// <see cref="IntakeFormPublished"/>. A withdrawn form may be published again as it is, which offers it again.
    /// </summary>
    internal static async Task<Outcome<FormVersion>> PublishAsync(Guid formId, PublishFormRequest request, SliceContext context, IMessageBus bus)
    {
        var found = await PracticeContent.ForChangeAsync<IntakeForm>(context, formId, request.Revision, "publishing");
        if (!found.Succeeded) return found.Refusal;
        var form = found.Value;
        if (form.Latest is { } latest && form.WithdrawnAt is null && latest.Title == form.Title && Same(latest.Schema, form.Schema)
            && Same(latest.Translations, form.Translations))
            return Refusal.Conflict($"Version {latest.Number} already has this content; change the form before publishing again.");

        var version = new FormVersion
        {
            Number = (form.Latest?.Number ?? 0) + 1,
            Title = form.Title,
            Schema = Copy(form.Schema),
            Translations = Copy(form.Translations),
            PublishedAt = context.Clock.GetUtcNow(),
        };
        form.Versions.Add(version);
        PracticeContent.Published(context, form, version.Number);
        await bus.PublishAsync(new IntakeFormPublished(form.Id, form.PracticeId, version.Title, version.Number,
            version.Schema.AllFields.Select(f => f.Key).ToList(), version.PublishedAt)
        {
            Fields = [.. version.Schema.AllFields.Select(f => new IntakeFormFieldChoices(f.Key, f.Label, Choices(f)))],
        });
        return version;
    }

    /// <summary>The answers a field offers, as the evaluator stores them: a yes-or-no question's "yes"/"no", a choice's options.</summary>
    private static IReadOnlyList<IntakeFormOption> Choices(FormField field) => field.Type switch
    {
        FieldType.YesNo => [new("yes", "Yes"), new("no", "No")],
        FieldType.SingleChoice or FieldType.MultipleChoice => [.. field.Options.Select(o => new IntakeFormOption(o, o))],
        _ => [],
    };

    private static T Copy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    private static bool Same<T>(T a, T b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
