using Portal.BuildingBlocks.Concurrency;

namespace Portal.Practice.Members;

/// <summary>
/// What the accounts module tells the roster about a member's account: since when it is active (null while the member
/// is only invited) and their last sign-in. Kept apart from <see cref="Roster.RosterProvider"/> so that a sign-in never
/// writes the roster document an owner may be changing at the same moment.
/// </summary>
public sealed class MemberAccountFacts
{
    /// <summary>The member's id (<see cref="Roster.RosterProvider.Id"/>).</summary>
    public Guid Id { get; set; }
    public DateTimeOffset? ActivatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}

public static class MemberAccountFactsHandler
{
    /// <summary>Values only move forward, so messages arriving in any order leave the latest facts.</summary>
    public static async Task Handle(MemberAccountChanged message, IDocumentSession session, CancellationToken cancellation)
    {
        var facts = await EditLock.LoadLockedAsync<MemberAccountFacts>(session, message.ProviderId, cancellation)
            ?? new MemberAccountFacts { Id = message.ProviderId };
        facts.ActivatedAt ??= message.ActivatedAt;
        if (message.LastSignInAt > facts.LastSignInAt || facts.LastSignInAt is null) facts.LastSignInAt = message.LastSignInAt;
        session.Store(facts);
    }
}
