using System.Buffers.Binary;
using System.Security.Cryptography;
using JasperFx;
using Marten.Exceptions;
using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Portal.Intake.Requesting;

/// <summary>
/// A recurring assessment (the Forms module's schedule) is an assignment with one repeating
/// <see cref="TaskKind.CompleteAssessment"/> task, as if the provider had assigned it: each occurrence shows under My
/// tasks and in the caseload counts, invites a client without an account, reminds once halfway and falls overdue when
/// the next one would come, and answering the assessment completes it; the engine then opens the next occurrence
/// <see cref="AssessmentRequested.EveryWeeks"/> weeks after this one opened, until discharge or the schedule stops.
/// </summary>
public static class RequestScheduledAssessmentHandler
{
    /// <summary>Who the timeline says assigned it.</summary>
    private static readonly Actor Schedule = new(ActorKind.System, Guid.Empty, "the assessment schedule");

    public const string StoppedReason = "The assessment schedule was stopped.";

    /// <summary>
    /// Retried at once when another transaction touched the client's streams; a concurrent delivery of the same
    /// schedule loses on the stream id, and its retry finds the stream and stops.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or<ExistingStreamIdCollisionException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));

    public static async Task Handle(AssessmentRequested message, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        CancellationToken cancellation)
    {
        // A stop that arrived first (messages may come out of order) left its mark: the schedule starts nothing. Under
        // the schedule's lock, so a stop handled at the same moment either sees the started stream or leaves its mark first.
        if (await EditLock.LoadLockedAsync<StoppedSchedule>(session, message.ScheduleId, cancellation) is not null) return;

        // One schedule is one assignment, keyed by the schedule: a redelivered message, or a timer armed before the
        // engine repeated tasks (a later occurrence), finds it started and opens nothing.
        var assignmentId = ScheduleAssignmentId(message.ScheduleId);
        if (await session.Events.FetchStreamStateAsync(assignmentId, cancellation) is not null) return;
        var client = await session.LoadAsync<IntakeClient>(message.ClientId, cancellation)
                     ?? throw new ClientNotYetKnownException(message.ClientId);
        // A schedule that reaches a discharged client (a stale timer) starts nothing: discharge ends the repetition.
        if (client.Discharged) return;

        var content = new WorkflowContent(message.Title, [new StageSpec("Assessment", [RepeatingTask(message)])]);
        // The schedule asks for a fresh answer: only one given since it was requested completes it at once.
        await StartAssignments.StartAsync(session, bus,
            new NewAssignments([client], content, Schedule, clock.GetUtcNow()) {
                AssignmentId = assignmentId, DoneSince = message.At, ScheduleId = message.ScheduleId,
            },
            cancellation);
    }

    /// <summary>The schedule's task: due when the next occurrence would come, one reminder halfway, repeating until discharge.</summary>
    internal static TaskSpec RepeatingTask(AssessmentRequested message)
    {
        var dueInDays = 7 * message.EveryWeeks;
        return new TaskSpec("assessment", TaskKind.CompleteAssessment, message.Instrument.ToLowerInvariant(), message.Title,
            dueInDays, RemindEveryDays: Math.Max(1, dueInDays / 2), MaxReminders: 1, Condition: null)
        {
            Repeat = new RepeatSpec(message.EveryWeeks, Times: null, UntilDischarge: true),
        };
    }

    /// <summary>The schedule's assignment id: a name-based (version 8) UUID of the schedule id.</summary>
    internal static Guid ScheduleAssignmentId(Guid scheduleId) => OccurrenceId(scheduleId, 0);

    /// <summary>
    /// A name-based (version 8) UUID of the schedule id and a number: 0 names the schedule's repeating assignment; 1 and
    /// up named the one-occurrence assignments schedules started before the engine repeated tasks.
    /// </summary>
    internal static Guid OccurrenceId(Guid scheduleId, int occurrence)
    {
        Span<byte> name = stackalloc byte[20];
        scheduleId.TryWriteBytes(name, bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(name[16..], occurrence);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(name, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}

/// <summary>
/// A schedule stopped before its assignment started (the stop overtook the <see cref="AssessmentRequested"/>): kept
/// under the schedule's id so the request, when it comes, starts nothing.
/// </summary>
public sealed class StoppedSchedule
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public DateTimeOffset StoppedAt { get; set; }
}

/// <summary>
/// A stopped (or replaced) schedule cancels its assignment: the open occurrence closes and no further one opens. A stop
/// that finds no assignment yet is kept (<see cref="StoppedSchedule"/>), so the late request does not start one.
/// </summary>
public static class StopScheduledAssessmentHandler
{
    private static readonly Actor Schedule = new(ActorKind.System, Guid.Empty, "the assessment schedule");

    [Wolverine.Attributes.RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task Handle(AssessmentScheduleStopped message, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        CancellationToken cancellation)
    {
        var stopped = await EditLock.LoadLockedAsync<StoppedSchedule>(session, message.ScheduleId, cancellation);
        var id = RequestScheduledAssessmentHandler.ScheduleAssignmentId(message.ScheduleId);
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        if (stream.Aggregate is null)
        {
            if (stopped is null)
                session.Store(new StoppedSchedule { Id = message.ScheduleId, ClientId = message.ClientId, StoppedAt = message.At });
            return;
        }

        if (stream.Aggregate is not { IsTerminal: false } state) return;
        var process = AssignmentProcess.Continue(state, clock.GetUtcNow());
        process.Cancel(RequestScheduledAssessmentHandler.StoppedReason, Schedule);
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
    }
}
