using System.Buffers.Binary;
using System.Security.Cryptography;
using JasperFx;
using Marten.Exceptions;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Portal.Intake.Requesting;

/// <summary>
/// A recurring assessment (the Forms module's schedule) is due again: the client gets a
/// <see cref="TaskKind.CompleteAssessment"/> task for the instrument, as if their provider had requested it. So the
/// occurrence shows under My tasks and in the caseload counts, invites a client without an account, reminds once
/// halfway and falls overdue when the next occurrence comes, and answering the assessment completes it.
/// </summary>
public static class RequestScheduledAssessmentHandler
{
    /// <summary>Who the timeline says assigned it.</summary>
    private static readonly Actor Schedule = new(ActorKind.System, Guid.Empty, "the assessment schedule");

    /// <summary>
    /// Retried at once when another transaction touched the client's streams; a concurrent delivery of the same
    /// occurrence loses on the stream id, and its retry finds the stream and stops.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().Or<ExistingStreamIdCollisionException>()
            .RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500));

    public static async Task Handle(AssessmentRequested message, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        CancellationToken cancellation)
    {
        // One occurrence is one assignment, keyed by schedule and occurrence: a redelivered message opens nothing.
        var assignmentId = OccurrenceId(message.ScheduleId, message.Occurrence);
        if (await session.Events.FetchStreamStateAsync(assignmentId, cancellation) is not null) return;
        var client = await session.LoadAsync<IntakeClient>(message.ClientId, cancellation)
                     ?? throw new ClientNotYetKnownException(message.ClientId);

        var dueInDays = 7 * message.EveryWeeks;
        var task = new TaskSpec("assessment", TaskKind.CompleteAssessment, message.Instrument.ToLowerInvariant(), message.Title,
            dueInDays, RemindEveryDays: Math.Max(1, dueInDays / 2), MaxReminders: 1, Condition: null);
        var content = new WorkflowContent(message.Title, [new StageSpec("Assessment", [task])]);
        // The schedule asks for a fresh answer: only one given since this occurrence was requested completes it at once.
        await StartAssignments.StartAsync(session, bus,
            new NewAssignments([client], content, Schedule, clock.GetUtcNow()) { AssignmentId = assignmentId, DoneSince = message.At },
            cancellation);
    }

    /// <summary>The occurrence's assignment id: a name-based (version 8) UUID of the schedule id and the occurrence number.</summary>
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
