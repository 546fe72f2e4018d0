namespace Portal.Notifications.Roster;

/// <summary>
/// A notification names a client or provider whose roster facts have not arrived yet (messages from different
/// modules may arrive out of order): the handler is retried later instead of emailing a stranger or nobody.
/// </summary>
internal sealed class RosterNotYetKnownException(string what, Guid id) : Exception($"No roster facts yet for {what} {id}.");
