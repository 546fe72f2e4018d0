using Portal.Contracts;

namespace Portal.Intake.Engine;

/// <summary>Something a client (or their provider for them) did that a task can ask for.</summary>
public sealed class ClientFact
{
    public TaskKind Kind { get; set; }
    public string? SubjectId { get; set; }
    public string Source { get; set; } = string.Empty;
    public Guid EventId { get; set; }
    public DateTimeOffset At { get; set; }
    public int? Score { get; set; }
    public string? Severity { get; set; }

    /// <summary>Answers travel with the fact in memory only; they are never stored on <see cref="ClientActivity"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, string>? Answers { get; set; }

    public bool Satisfies(AssignmentTask task) => Satisfies(task.Kind, task.SubjectId);

    public bool Satisfies(TaskKind kind, string? subjectId) =>
        kind == Kind && (kind is TaskKind.AddInsurance or TaskKind.EnrollInAutopay
                         || string.Equals(subjectId, SubjectId, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The last time a client did each kind of thing a task can ask for (no answers, no card or plan data). Lets a task
/// that is requested shortly after the client did it complete at once (see <see cref="AssignmentProcess.RecentWindow"/>).
/// Written and read for decisions only under <c>EditLock</c> on the client id (recording a fact, starting an
/// assignment, skipping a task), so two facts handled at once are both kept and a start never misses a fact.
/// </summary>
public sealed class ClientActivity
{
    public Guid Id { get; set; }
    public List<ClientFact> Facts { get; set; } = [];

    public void Record(ClientFact fact)
    {
        var stored = new ClientFact
        {
            Kind = fact.Kind, SubjectId = fact.SubjectId, Source = fact.Source, EventId = fact.EventId, At = fact.At,
            Score = fact.Score, Severity = fact.Severity,
        };
        var existing = Facts.FindIndex(f => f.Satisfies(fact.Kind, fact.SubjectId));
        if (existing < 0) Facts.Add(stored);
        else if (Facts[existing].At <= fact.At) Facts[existing] = stored;
    }

    public ClientFact? RecentFor(TaskKind kind, string? subjectId, DateTimeOffset since) =>
        Facts.FirstOrDefault(f => f.Satisfies(kind, subjectId) && f.At >= since);

    /// <summary>The same activity without what the client did before <paramref name="since"/>.</summary>
    public ClientActivity Since(DateTimeOffset since) => new() { Id = Id, Facts = [.. Facts.Where(f => f.At >= since)] };
}
