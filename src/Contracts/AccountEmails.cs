namespace Portal.Contracts;

// Emails to clients and staff about their account. The module that causes one publishes the message; Notifications
// renders and sends it. Links that carry a secret travel as a SecretLink: protected with the shared Data Protection
// keys, so the raw token never rests in the message store.

/// <summary>A URL protected with Data Protection (purpose "Portal.SecretLink"); only the sender unprotects it.</summary>
public sealed record SecretLink(string Protected);

public sealed record InvitationEmailRequested(
    Guid InvitationId, Guid ClientId, string Email, string FirstName, string PracticeName, SecretLink ActivationLink, DateTimeOffset ExpiresAt)
{
    /// <summary>The client's practice: the email wears its look and its link opens its branded sign-in pages.</summary>
    public Guid? PracticeId { get; init; }

    /// <summary>The language the invitee reads ("en", "es"): the client's, from the roster.</summary>
    public string Language { get; init; } = "en";
}

public sealed record PasswordResetEmailRequested(Guid RequestId, string Email, string FirstName, SecretLink ResetLink, DateTimeOffset ExpiresAt);

public sealed record EmailVerificationRequested(
    Guid RequestId, string Email, string FirstName, SecretLink VerificationLink, DateTimeOffset ExpiresAt);

/// <summary>A client's login email changed: both the old and the new address are told.</summary>
public sealed record EmailAddressChanged(Guid EventId, Guid ClientId, string FirstName, string OldEmail, string NewEmail, DateTimeOffset At)
{
    /// <summary>Support applied a correction the client's clinician asked for (not the client's own change).</summary>
    public bool CorrectedByPractice { get; init; }

    /// <summary>False for a client corrected before they had an account: the address is the roster's and the invitation's.</summary>
    public bool HasAccount { get; init; } = true;
}

/// <summary>A client asked to change their login email: their provider is asked to approve it.</summary>
public sealed record EmailChangeRequested(Guid RequestId, Guid ClientId, Guid ProviderId, DateTimeOffset At);

/// <summary>An account was locked after repeated failed sign-ins: the owner is told how to unlock it.</summary>
public sealed record AccountLocked(Guid EventId, string Email, string FirstName, DateTimeOffset LockedUntil);

/// <summary>
/// A client's activation link was closed after <see cref="FailedChecks"/> dates of birth that did not match: their
/// provider is told, so they can send a new invitation. Carries no date, no address and no hint of what was entered.
/// </summary>
public sealed record ActivationBlocked(Guid EventId, Guid ClientId, Guid ProviderId, int FailedChecks, DateTimeOffset At);

/// <summary>
/// Support removed a login's second factors (authenticator, recovery codes, passkeys) after verifying who asked: the
/// owner of the login is told at its address, without the method or the notes support recorded.
/// </summary>
public sealed record SecondFactorsReset(Guid EventId, string Email, string FirstName, DateTimeOffset At, bool MustEnrolAgain);
