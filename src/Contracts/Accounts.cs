namespace Portal.Contracts;

/// <summary>
/// A client's portal account became active (activation) or stopped being active. Published by the Invitations
/// module, which owns accounts; the roster republishes the client with <c>HasActiveAccount</c> set.
/// </summary>
public sealed record ClientAccountStatusChanged(Guid ClientId, bool HasActiveAccount, DateTimeOffset At);
