namespace Portal.Intake.Roster;

/// <summary>
/// A provider who has just added a client may ask for a task before the roster's message about the client has reached
/// this module's copy (each module's queue runs at its own pace). The write endpoints and pages that need the client
/// wait for the copy briefly instead of answering 404 for a client that exists: a bounded wait, chosen over accepting
/// and holding the request because the provider then hears at once whether it worked, and an id that never arrives
/// still gets its 404 (after <see cref="Patience"/>). Only an id this copy does not know waits; a known client of
/// another provider is refused at once.
/// </summary>
internal static class RosterArrival
{
    /// <summary>How long a request waits for the copy: longer than the queue takes under load, short enough for a 404.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    /// <summary>The cards of <paramref name="clientIds"/> this copy holds once all have arrived, or when the wait ends.</summary>
    public static async Task<IReadOnlyList<IntakeClient>> CardsAsync(
        IQuerySession session, IReadOnlyCollection<Guid> clientIds, CancellationToken cancellation)
    {
        var cards = (await session.LoadManyAsync<IntakeClient>(cancellation, clientIds)).ToList();
        if (cards.Count == clientIds.Count) return cards;

        var started = DateTimeOffset.UtcNow;
        var pause = FirstPause;
        while (DateTimeOffset.UtcNow - started < Patience)
        {
            await Task.Delay(pause, cancellation);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            // A session of its own each time: nothing the request's session read or cached hides the new copy.
            await using var fresh = session.DocumentStore.QuerySession();
            var missing = clientIds.Except(cards.Select(c => c.Id)).ToArray();
            cards.AddRange(await fresh.LoadManyAsync<IntakeClient>(cancellation, missing));
            if (cards.Count == clientIds.Count) break;
        }
        return cards;
    }

    /// <summary>One client's card, waited for as above; null when it did not arrive.</summary>
    public static async Task<IntakeClient?> CardAsync(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        (await CardsAsync(session, [clientId], cancellation)).FirstOrDefault();
}
