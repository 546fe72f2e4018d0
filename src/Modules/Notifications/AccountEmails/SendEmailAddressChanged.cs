using Portal.Notifications.Delivery;
using Portal.Notifications.Roster;

namespace Portal.Notifications.AccountEmails;

/// <summary>
/// A login email changed: the old address is told (in case it was not the owner's doing), and the new one. A correction
/// support applied for the practice has its own kinds, without health detail and without any link that signs anyone in.
/// </summary>
public sealed class SendEmailAddressChangedHandler
{
    public static async Task<OutgoingMessages> Handle(EmailAddressChanged changed, IQuerySession session, IConfiguration configuration,
        TimeProvider clock, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<NotificationsClient>(changed.ClientId, cancellation);
        var reader = client is null
            ? await EmailReaders.ForAsync(session, null, Recipients.DefaultPracticeName, null, cancellation)
            : await EmailReaders.ForClientAsync(session, client, cancellation);
        var common = reader.Dress(new Dictionary<string, string>
        {
            ["firstName"] = changed.FirstName,
            ["changedAt"] = reader.When(changed.At),
        });

        // A correction the practice asked for and support applied reads differently from the client's own change, and a
        // client without an account has no login yet: their new address hears of it beside the invitation (if one was open).
        var (oldKind, newKind) = !changed.CorrectedByPractice ? ("email-changed-old", "email-changed-new")
            : changed.HasAccount ? ("email-corrected-old", "email-corrected-new")
            : ("email-corrected-old", "email-corrected-new-no-account");
        var toNew = new Dictionary<string, string>(common);
        if (newKind != "email-corrected-new-no-account") toNew["portalLink"] = Links.Portal(configuration);
        return
        [
            new SendEmail(DeterministicId.From(oldKind, changed.EventId), changed.EventId, oldKind, changed.OldEmail,
                new Dictionary<string, string>(common)
                {
                    ["newEmailMasked"] = Links.MaskEmail(changed.NewEmail),
                    ["hasAccount"] = changed.HasAccount ? "yes" : "no",
                }, clock.GetUtcNow()),
            new SendEmail(DeterministicId.From(newKind, changed.EventId), changed.EventId, newKind, changed.NewEmail, toNew, clock.GetUtcNow()),
        ];
    }
}
