using Portal.BuildingBlocks.Messaging;

namespace Portal.Notifications.Roster;

/// <summary>
/// A notification names a client or provider whose roster facts have not arrived yet (messages from different
/// modules may arrive out of order): the handler is retried shortly, then the message is held until the copy arrives
/// (<see cref="AwaitingCopy"/>) instead of emailing a stranger or nobody.
/// </summary>
internal sealed class RosterNotYetKnownException(string what, Guid id)
    : CopyNotYetArrivedException(what == "client" ? typeof(NotificationsClient) : typeof(NotificationsProvider), id, what);

/// <summary>A notification held until this module's copy of its client or provider arrives.</summary>
public sealed class NotificationAwaitingRoster : MessageAwaitingCopy;
