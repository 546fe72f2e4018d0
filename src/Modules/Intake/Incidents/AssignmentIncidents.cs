using System.Text.Json;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Messaging;
using Portal.Intake.Assignments;
using Portal.Intake.Engine;
using Portal.Intake.Timers;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Portal.Intake.Incidents;

/// <summary>
/// A step of an assignment that failed for good: a message about it that Wolverine dead-lettered after its retries.
/// The cause is the exception's type and message only (never the message body, which can hold titles or answers).
/// </summary>
internal sealed record IncidentView(
    Guid Id, string Step, string MessageType, string Queue, string ExceptionType, string ExceptionMessage, DateTimeOffset? FailedAt, int Attempts);

/// <summary>
/// Incidents on an assignment (#30 item 7): the dead letters of the messages that carry the assignment's id (the tasks
/// it requested, closed or completed, its timers and reminders), found by <see cref="IDeadLetterSearch"/> and read and
/// replayed through Wolverine. A replay runs only the handler that failed (each module handles a shared message on
/// its own queue), and every such handler is idempotent: state decides, and an email's delivery id comes from the
/// message (a batch's id and the client, a reminder's id), so a retried step never sends an email twice.
/// </summary>
internal static class AssignmentIncidents
{
    public const int Limit = 50;
    private const int MaxCauseLength = 500;

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The messages that belong to an assignment: how to read them, whether one is about the assignment, the step in words.</summary>
    private static readonly IReadOnlyList<Kind> Kinds =
    [
        Kind.Of<TasksRequested>("Telling the client of requested tasks", (m, a) => m.Tasks.Any(t => t.AssignmentId == a.Id)),
        Kind.Of<TaskRequested>("Telling the client of a requested task", (m, a) => m.AssignmentId == a.Id),
        Kind.Of<TaskClosed>("Closing a task", (m, a) => m.AssignmentId == a.Id),
        Kind.Of<AssignmentCompleted>("Telling of the completed workflow", (m, a) => m.AssignmentId == a.Id),
        Kind.Of<TimersDue>("Timers falling due",
            (m, a) => m.Reminders.Any(r => r.AssignmentId == a.Id) || m.Overdue.Any(o => o.AssignmentId == a.Id)),
        Kind.Of<SendTaskReminder>("Sending a task reminder", (m, a) => m.AssignmentId == a.Id),
        Kind.Of<MarkTaskOverdue>("Marking a task overdue", (m, a) => m.AssignmentId == a.Id),
        Kind.Of<TaskReminderDue>("Emailing a task reminder", (m, a) => a.Task(m.TaskId) is not null),
    ];

    private static readonly string[] MessageTypes = [.. Kinds.Select(k => k.Name)];

    /// <summary>The assignment's incidents with the dead letters behind them, newest first.</summary>
    public static async Task<IReadOnlyList<IncidentView>> ForAsync(IntakeAssignment assignment, IDeadLetterSearch search,
        IWolverineRuntime runtime, CancellationToken cancellation)
    {
        // A reminder's email message names the task, not the assignment: the task ids are searched for too.
        Guid[] mentioned = [assignment.Id, .. assignment.Tasks.Where(t => t.TaskId is not null).Select(t => t.TaskId!.Value)];
        var ids = await search.MentioningAsync(MessageTypes, mentioned, Limit, cancellation);
        if (ids.Count == 0) return [];

        var results = await runtime.Storage.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { MessageIds = [.. ids] }, cancellation);
        var incidents = new List<IncidentView>();
        foreach (var letter in results.Envelopes)
        {
            var kind = Kinds.FirstOrDefault(k => k.Name == letter.MessageType);
            if (kind is null || letter.ArchivedAt is not null || !kind.Belongs(Read(letter, kind.Type), assignment)) continue;
            incidents.Add(new IncidentView(letter.Id, kind.Step, kind.Type.Name, letter.ReceivedAt ?? string.Empty,
                letter.ExceptionType ?? string.Empty, Cause(letter.ExceptionMessage), (DateTimeOffset?)letter.FailedAt ?? letter.SentAt,
                letter.Envelope.Attempts));
        }

        return [.. incidents.OrderByDescending(i => i.FailedAt)];
    }

    /// <summary>Hands the dead letter back to Wolverine and audits it; 404 unless it is an incident of this assignment.</summary>
    public static async Task<Outcome<IncidentView>> RetryAsync(IntakeAssignment assignment, Guid incidentId, IDeadLetterSearch search,
        IWolverineRuntime runtime, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var incident = (await ForAsync(assignment, search, runtime, cancellation)).FirstOrDefault(i => i.Id == incidentId);
        if (incident is null) return Refusal.NotFound("incident");
        await runtime.Storage.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery { MessageIds = [incidentId] }, cancellation);
        Audit.Record(session, http, clock, "intake.incident.retry", nameof(IntakeAssignment), assignment.Id.ToString(), assignment.ClientId,
            outcome: $"{incident.MessageType} {incidentId}");
        return incident;
    }

    private static object? Read(DeadLetterEnvelope letter, Type type)
    {
        if (letter.Envelope.Message is { } message && type.IsInstanceOfType(message)) return message;
        return letter.Envelope.Data is { Length: > 0 } data ? JsonSerializer.Deserialize(data, type, Json) : null;
    }

    private static string Cause(string? message) =>
        message is null ? string.Empty : message.Length <= MaxCauseLength ? message : message[..MaxCauseLength] + "…";

    private sealed record Kind(Type Type, string Step, Func<object, IntakeAssignment, bool> Matches)
    {
        public string Name => Type.FullName!;

        public bool Belongs(object? message, IntakeAssignment assignment) => message is not null && Matches(message, assignment);

        public static Kind Of<T>(string step, Func<T, IntakeAssignment, bool> belongs) =>
            new(typeof(T), step, (m, a) => m is T typed && belongs(typed, a));
    }
}

/// <summary>The failed steps of an assignment the caller may see (its practice's front office, or support).</summary>
public static class GetAssignmentIncidentsEndpoint
{
    [WolverineGet("/api/assignments/{id}/incidents"), Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<IResult> Get(Guid id, HttpContext http, IDocumentSession session, IDeadLetterSearch search,
        IWolverineRuntime runtime, CancellationToken cancellation)
    {
        var assignment = await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation);
        if (assignment is null) return Refusal.NotFound("assignment").ToProblem(http);
        return Results.Ok(await AssignmentIncidents.ForAsync(assignment, search, runtime, cancellation));
    }
}

/// <summary>
/// Retries a failed step: the dead letter goes back to the queue of the handler that failed, through Wolverine (its
/// durability agent moves it within seconds). 404 unless it is an incident of this assignment the caller may see;
/// audited.
/// </summary>
public static class RetryAssignmentIncidentEndpoint
{
    [WolverinePost("/api/assignments/{id}/incidents/{incidentId}/retry"), Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<IResult> Post(Guid id, Guid incidentId, HttpContext http, IDocumentSession session, IDeadLetterSearch search,
        IWolverineRuntime runtime, TimeProvider clock, CancellationToken cancellation)
    {
        var assignment = await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation);
        if (assignment is null) return Refusal.NotFound("assignment").ToProblem(http);
        var retried = await AssignmentIncidents.RetryAsync(assignment, incidentId, search, runtime, http, session, clock, cancellation);
        if (!retried.Succeeded) return retried.Refusal.ToProblem(http);
        var incident = retried.Value;
        await session.SaveChangesAsync(cancellation);
        return Results.Accepted(value: new { incidentId, step = incident.Step, retrying = true });
    }
}
