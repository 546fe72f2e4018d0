namespace Portal.Contracts;

/// <summary>How a requested task stopped being open.</summary>
public enum TaskOutcome
{
    Completed,
    Skipped,
    Cancelled,
    /// <summary>Closed without the client: another track of its stage finished first, or it was optional and the workflow finished.</summary>
    NotNeeded,
}

/// <summary>
/// A task that was requested of a client (<see cref="TaskRequested"/>) is no longer open: the client did it, the
/// provider skipped it, or the assignment was cancelled. Published by the Intake module; lets other modules follow a
/// client's open tasks without reading Intake's streams.
/// </summary>
public sealed record TaskClosed(Guid TaskId, Guid AssignmentId, Guid ClientId, Guid ProviderId, TaskOutcome Outcome, DateTimeOffset At);
