using Marten;
using Portal.BuildingBlocks.Security;

namespace Portal.BuildingBlocks.Data;

/// <summary>
/// A provider who has just added a client may ask for something before the roster's message about the client has
/// reached a module's copy (each module's queue runs at its own pace). The write endpoints and pages that need the
/// client wait for the copy briefly instead of answering 404 for a client that exists: a bounded wait, chosen over
/// accepting and holding the request because the provider then hears at once whether it worked, and an id that never
/// arrives still gets its 404 (after <see cref="Patience"/>). Only an id the copy does not know waits; a known client of
/// another provider is refused at once. Each module keeps its own card type and passes it here.
/// </summary>
public static class RosterArrival
{
    /// <summary>How long a request waits for the copy: longer than the queue takes under load, short enough for a 404.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(400);

    /// <summary>The cards of <paramref name="ids"/> the copy holds once all have arrived, or when the wait ends.</summary>
    public static async Task<IReadOnlyList<TCard>> CardsAsync<TCard>(IQuerySession session, IReadOnlyCollection<Guid> ids,
        CancellationToken cancellation) where TCard : ClientCard
    {
        var cards = (await session.LoadManyAsync<TCard>(cancellation, ids)).ToList();
        if (cards.Count == ids.Count) return cards;
        await WaitAsync(session.DocumentStore, async (fresh, token) =>
        {
            var missing = ids.Except(cards.Select(c => c.Id)).ToArray();
            cards.AddRange(await fresh.LoadManyAsync<TCard>(token, missing));
            return cards.Count == ids.Count;
        }, cancellation);
        return cards;
    }

    /// <summary>One client's card, waited for as above; null when it did not arrive.</summary>
    public static async Task<TCard?> CardAsync<TCard>(IQuerySession session, Guid id, CancellationToken cancellation)
        where TCard : class =>
        await session.LoadAsync<TCard>(id, cancellation) ?? await LaterAsync<TCard>(session.DocumentStore, id, cancellation);

    /// <summary>
    /// One client's card, waited for as above in sessions of its own: for a caller about to take the card's edit lock,
    /// which must not hold it while waiting (the roster handler that writes the copy takes the same lock).
    /// </summary>
    public static async Task<TCard?> CardAsync<TCard>(IDocumentStore store, Guid id, CancellationToken cancellation)
        where TCard : class
    {
        await using (var session = store.QuerySession())
            if (await session.LoadAsync<TCard>(id, cancellation) is { } card) return card;
        return await LaterAsync<TCard>(store, id, cancellation);
    }

    /// <summary>
    /// For a caller whose own first look (in a batch, under an edit lock) did not find the card: keeps looking in
    /// sessions of its own, so the caller's session (its transaction, its lock) is left as it was.
    /// </summary>
    public static async Task<TCard?> LaterAsync<TCard>(IDocumentStore store, Guid id, CancellationToken cancellation)
        where TCard : class
    {
        TCard? card = null;
        await WaitAsync(store, async (fresh, token) => (card = await fresh.LoadAsync<TCard>(id, token)) is not null, cancellation);
        return card;
    }

    /// <summary>
    /// Polls <paramref name="arrived"/> (which loads the copy and says whether all it needs is there) with growing pauses
    /// until it says yes or <see cref="Patience"/> has passed.
    /// </summary>
    public static async Task<bool> WaitAsync(IDocumentStore store, Func<IQuerySession, CancellationToken, Task<bool>> arrived,
        CancellationToken cancellation)
    {
        var started = DateTimeOffset.UtcNow;
        var pause = FirstPause;
        while (DateTimeOffset.UtcNow - started < Patience)
        {
            await Task.Delay(pause, cancellation);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            // A session of its own each time: nothing the request's session read or cached hides the new copy.
            await using var fresh = store.QuerySession();
            if (await arrived(fresh, cancellation)) return true;
        }
        return false;
    }
}
