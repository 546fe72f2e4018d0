namespace Portal.Contracts;

/// <summary>
/// Invitations were issued, together: the Invitations module publishes every invitation one transaction issued (a
/// workflow assigned to up to 500 clients, a provider's resend, a client's fresh link) as one message, at most
/// <see cref="MaxInvitations"/> each, so a module that only tracks who is invited until when handles a bulk
/// assignment in a few transactions instead of one per client. It carries no link and no email address: the email
/// itself is the <see cref="InvitationEmailRequested"/> of the same invitation, for Notifications.
/// </summary>
public sealed record InvitationsIssued(IReadOnlyList<IssuedInvitation> Invitations)
{
    public const int MaxInvitations = 500;
}

/// <summary>
/// The client's new invitation, which replaced any earlier one; it can be used until <paramref name="ExpiresAt"/>.
/// <paramref name="IssuedAt"/> tells a reader whether it came after an <see cref="ActivationBlocked"/> (which it lifts).
/// </summary>
public sealed record IssuedInvitation(Guid InvitationId, Guid ClientId, DateTimeOffset ExpiresAt, DateTimeOffset IssuedAt);
