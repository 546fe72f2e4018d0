namespace Portal.Invitations.Invites;

/// <summary>
/// A task was requested of a client this module's copy of the roster does not know yet (the roster's message is still
/// on its way: messages to one module may arrive in any order). The invitation is decided when the copy arrives
/// (<see cref="Roster.KeepRosterCardsHandler"/>), by the same rules, so the outcome does not depend on which came first.
/// Keyed by the client: many tasks before the copy wait as one.
/// </summary>
public sealed class InvitationAwaitingRoster
{
    public Guid Id { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
}
