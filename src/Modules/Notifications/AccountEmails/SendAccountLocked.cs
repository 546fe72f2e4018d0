using Portal.Notifications.Delivery;

namespace Portal.Notifications.AccountEmails;

/// <summary>An account locked after too many failed sign-ins: its owner is told until when (a password reset unlocks it sooner).</summary>
public sealed class SendAccountLockedHandler
{
    public static Task<SendEmail> Handle(AccountLocked locked, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new AccountEmail("account-locked", locked.EventId, locked.Email, locked.FirstName)
            .ComposeAsync(session, clock, reader => new() { ["lockedUntil"] = reader.When(locked.LockedUntil) }, cancellation);
}
