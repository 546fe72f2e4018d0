namespace Portal.Contracts;

// What the intake content module (documents, forms, assessments) has published, so that other modules can refer to
// it by id without reading its tables. Intake workflows accept a task about a document, form or instrument only
// when it has been published in the provider's practice.

/// <summary>A practice document (policy, consent form) was published in a new version.</summary>
public sealed record DocumentPublished(Guid DocumentId, Guid PracticeId, string Title, int Version, DateTimeOffset At);

/// <summary>
/// An intake form was published in a new version. <see cref="FieldKeys"/> names its fields (no answers);
/// <see cref="Fields"/> adds each field's label and the answers it offers, so that a workflow condition on an answer
/// is chosen from them (empty in messages from before it was added).
/// </summary>
public sealed record IntakeFormPublished(Guid FormId, Guid PracticeId, string Title, int Version, IReadOnlyList<string> FieldKeys, DateTimeOffset At)
{
    public IReadOnlyList<IntakeFormFieldChoices> Fields { get; init; } = [];
}

/// <summary>
/// A field of a published intake form: its key, the label the client reads and the answers it offers (a choice
/// field's options, "yes"/"no" for a yes-or-no question; none for a free-text, number or date field).
/// </summary>
public sealed record IntakeFormFieldChoices(string Key, string Label, IReadOnlyList<IntakeFormOption> Options);

/// <summary>One answer a field offers: <see cref="Value"/> as the answer is stored, <see cref="Label"/> as it reads.</summary>
public sealed record IntakeFormOption(string Value, string Label);

/// <summary>
/// A practice withdrew a published document or intake form: no new task may ask for it. Tasks already given, and what
/// clients signed or sent, are not affected. A later <see cref="DocumentPublished"/> or <see cref="IntakeFormPublished"/>
/// of the same item offers it again. <see cref="Version"/> is the version withdrawn, so that a receiver can tell a
/// withdrawal that overtook its publish from a newer publish (0 in messages from before it was added).
/// </summary>
public sealed record CatalogItemWithdrawn(Guid ItemId, Guid PracticeId, DateTimeOffset At, int Version = 0);

/// <summary>
/// The answers of a submitted intake form that a workflow condition may test ("include the next task only when the
/// answer to 'has_insurance' is 'yes'"). Published by the forms module beside <see cref="IntakeFormCompleted"/>.
/// It travels only between modules in the transactional outbox; it is never logged or emailed.
/// </summary>
public sealed record IntakeFormAnswersShared(
    Guid EventId, Guid ClientId, Guid FormId, int FormVersion, IReadOnlyDictionary<string, string> Answers, DateTimeOffset At);
