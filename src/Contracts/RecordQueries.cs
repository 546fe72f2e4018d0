namespace Portal.Contracts;

// Questions one module asks another in process (Wolverine's InvokeAsync) and answers it gets back at once: no event,
// no outbox, nothing stored. Integrations' read-only FHIR API asks them, so it never reads another module's tables.
// The asker checks the client's practice and the card rule on its own copy of the client before it shows anything.
// A query's answer (a type named ...Answer) returns to the asker and is never a message of its own.

/// <summary>The client's current insurance plans (Insurance).</summary>
public sealed record CoverageQuery(Guid ClientId);

public sealed record CoverageAnswer(Guid ClientId, IReadOnlyList<CoverageFacts> Plans);

/// <summary>One plan as the client or the practice entered it; <see cref="Status"/> is the practice's review.</summary>
public sealed record CoverageFacts(
    PlanRank Rank, string PayerId, string PayerName, string PlanName, string MemberId, string? GroupNumber,
    bool SubscriberIsClient, string? SubscriberName, string? SubscriberRelationship, string Status, DateTimeOffset LastUpdated);

/// <summary>Completed assessments (Forms): a client's, or the one result <see cref="ResultId"/> names.</summary>
public sealed record AssessmentResultsQuery(Guid? ClientId, Guid? ResultId);

public sealed record AssessmentResultsAnswer(IReadOnlyList<AssessmentFacts> Results);

/// <summary>One completed PHQ-9 or GAD-7 (instrument "phq9" or "gad7"): each item's answer (0-3), total and severity.</summary>
public sealed record AssessmentFacts(
    Guid ResultId, Guid ClientId, string Instrument, IReadOnlyList<int> Answers, int Score, string Severity, DateTimeOffset CompletedAt);

/// <summary>Signed documents (Forms): a client's, or the one signature <see cref="SignatureId"/> names.</summary>
public sealed record SignaturesQuery(Guid? ClientId, Guid? SignatureId);

public sealed record SignaturesAnswer(IReadOnlyList<SignatureFacts> Signatures);

/// <summary>A signature: the document and version signed and the SHA-256 (hex) of exactly the copy signed.</summary>
public sealed record SignatureFacts(
    Guid SignatureId, Guid ClientId, Guid DocumentId, int DocumentVersion, string DocumentTitle, string ContentHash,
    DateTimeOffset SignedAt)
{
    /// <summary>The language of the text signed, "en" or the practice's translation ("es").</summary>
    public string Language { get; init; } = "en";
}

/// <summary>Requested tasks (Intake): a client's, or the one task <see cref="TaskId"/> names.</summary>
public sealed record RequestedTasksQuery(Guid? ClientId, Guid? TaskId);

public sealed record RequestedTasksAnswer(IReadOnlyList<RequestedTaskFacts> Tasks);

/// <summary>
/// A task as it stands: <see cref="Outcome"/> null while open; <see cref="AssignmentCancelled"/> when its assignment
/// was cancelled with the task still open.
/// </summary>
public sealed record RequestedTaskFacts(
    Guid TaskId, Guid AssignmentId, Guid ClientId, TaskKind Kind, string Title, DateTimeOffset RequestedAt, DateTimeOffset? DueAt,
    TaskOutcome? Outcome, DateTimeOffset? ClosedAt, bool AssignmentCancelled, DateTimeOffset LastUpdated);
