namespace Portal.Contracts;

// What the intake content module (documents, forms, assessments) has published, so that other modules can refer to
// it by id without reading its tables. Intake workflows accept a task about a document, form or instrument only
// when it has been published in the provider's practice.

/// <summary>A practice document (policy, consent form) was published in a new version.</summary>
public sealed record DocumentPublished(Guid DocumentId, Guid PracticeId, string Title, int Version, DateTimeOffset At);

/// <summary>An intake form was published in a new version. <see cref="FieldKeys"/> names its fields (no answers).</summary>
public sealed record IntakeFormPublished(Guid FormId, Guid PracticeId, string Title, int Version, IReadOnlyList<string> FieldKeys, DateTimeOffset At);

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
