namespace Portal.BuildingBlocks.Messaging;

/// <summary>
/// Finds dead letters (messages Wolverine gave up on) that are about given records, so a module can show a failed
/// step where it happened (Intake: on the assignment). The host owns Wolverine's tables and implements it; a module
/// reads the dead letters it found, and replays them, through Wolverine's own API.
/// </summary>
public interface IDeadLetterSearch
{
    /// <summary>
    /// The ids of dead letters (newest first, at most <paramref name="limit"/>, not archived) of the given message types
    /// whose message mentions any of <paramref name="ids"/>.
    /// </summary>
    Task<IReadOnlyList<Guid>> MentioningAsync(IReadOnlyCollection<string> messageTypes, IReadOnlyCollection<Guid> ids, int limit,
        CancellationToken cancellation);
}
