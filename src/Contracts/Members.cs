namespace Portal.Contracts;

// A practice's owner invites members by email; the accounts module sends the link and tells the roster when the
// member's account is active and when they last signed in.

/// <summary>
/// An owner invited a member (or asked for a fresh link for one who has not activated yet): the accounts module
/// issues a member invitation to <see cref="Email"/>. <see cref="RequestId"/> identifies the request, so a replay
/// issues nothing more.
/// </summary>
public sealed record MemberInvitationRequested(
    Guid RequestId, Guid ProviderId, Guid PracticeId, string PracticeName, string Name, string Email, StaffRole Role, DateTimeOffset At);

/// <summary>A member invitation's email, with its activation link (protected until Notifications sends it).</summary>
public sealed record MemberInvitationEmailRequested(
    Guid InvitationId, Guid ProviderId, string Email, string FirstName, string PracticeName, StaffRole Role, SecretLink ActivationLink,
    DateTimeOffset ExpiresAt);

/// <summary>
/// A practice member's account as the accounts module sees it: since when it is active (null while only invited) and
/// when the member last signed in. Values only grow, so a late copy changes nothing.
/// </summary>
public sealed record MemberAccountChanged(Guid ProviderId, DateTimeOffset? ActivatedAt, DateTimeOffset? LastSignInAt);
