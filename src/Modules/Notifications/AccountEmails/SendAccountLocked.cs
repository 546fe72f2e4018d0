using Marten;
using Portal.Contracts;
using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

public sealed class SendAccountLockedHandler
{
    public static async Task<SendEmail> Handle(AccountLocked locked, IQuerySession session, TimeProvider clock, CancellationToken cancellation) =>
        new(DeterministicId.From("account-locked", locked.EventId), locked.EventId, "account-locked", locked.Email,
            new Dictionary<string, string>
            {
                ["firstName"] = locked.FirstName,
                ["practiceName"] = await Recipients.PracticeNameForAsync(session, locked.Email, cancellation),
                ["lockedUntil"] = Links.When(locked.LockedUntil),
            },
            clock.GetUtcNow());
}
