using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

/// <summary>A login email changed: the old address is told (in case it was not the owner's doing), and the new one.</summary>
public sealed class SendEmailAddressChangedHandler
{
    public static async Task<OutgoingMessages> Handle(EmailAddressChanged changed, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<NotificationsClient>(changed.ClientId, cancellation);
        var practiceName = client is { PracticeName.Length: > 0 } ? client.PracticeName : Recipients.DefaultPracticeName;
        var common = new Dictionary<string, string>
        {
            ["firstName"] = changed.FirstName,
            ["practiceName"] = practiceName,
            ["changedAt"] = Links.When(changed.At),
        };

        return
        [
            new SendEmail(DeterministicId.From("email-changed-old", changed.EventId), changed.EventId, "email-changed-old", changed.OldEmail,
                new Dictionary<string, string>(common) { ["newEmailMasked"] = Links.MaskEmail(changed.NewEmail) }, clock.GetUtcNow()),
            new SendEmail(DeterministicId.From("email-changed-new", changed.EventId), changed.EventId, "email-changed-new", changed.NewEmail,
                new Dictionary<string, string>(common) { ["portalLink"] = Links.Portal(configuration) }, clock.GetUtcNow()),
        ];
    }
}
