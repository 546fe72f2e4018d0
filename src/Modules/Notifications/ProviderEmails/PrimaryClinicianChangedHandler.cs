using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Delivery;
using Portal.Notifications.Inbox;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// A client was transferred from one primary clinician to another: both are told at once, in their console
/// notifications and by one email each, whatever their digest preference. Only who, which client ("Jane D.") and
/// who made the change: never a health detail. Each of the two is told in a transaction of their own, once.
/// </summary>
public sealed class PrimaryClinicianChangedHandler
{
    public static OutgoingMessages Handle(PrimaryClinicianChanged changed) =>
        [new TellOfTransfer(changed, changed.FromMemberId), new TellOfTransfer(changed, changed.ToMemberId)];
}

/// <summary>One of the two clinicians of a transfer (<see cref="RecipientId"/>) to be told about it.</summary>
public sealed record TellOfTransfer(PrimaryClinicianChanged Change, Guid RecipientId);

public sealed class TellOfTransferHandler
{
    public static async Task<OutgoingMessages> Handle(TellOfTransfer tell, IDocumentSession session, EmailSender sender,
        IConfiguration configuration, TimeProvider clock, CancellationToken cancellation)
    {
        var (change, recipientId) = tell;
        var id = DeterministicId.From("provider", NotificationKind.CareTeam, change.TransferId, recipientId);
        var otherId = recipientId == change.ToMemberId ? change.FromMemberId : change.ToMemberId;
        var batch = await EditLock.LockedBatchAsync<DeliveryRecord>(session, id, cancellation);
        var recipientLoad = batch.Load<NotificationsProvider>(recipientId);
        var otherLoad = batch.Load<NotificationsProvider>(otherId);
        var clientLoad = batch.Load<NotificationsClient>(change.ClientId);
        var existingLoad = batch.Load<ProviderNotification>(id);
        var deliveryLoad = batch.Load<DeliveryRecord>(id);
        await batch.Execute(cancellation);
        var recipient = await recipientLoad ?? throw new RosterNotYetKnownException("provider", recipientId);
        var other = await otherLoad ?? throw new RosterNotYetKnownException("provider", otherId);
        var client = await clientLoad ?? throw new RosterNotYetKnownException("client", change.ClientId);
        if (await existingLoad is not null) return [];

        // Who made the change is said only when it was neither of the two (an owner).
        var by = change.ByMemberId == recipient.Id || change.ByMemberId == other.Id ? string.Empty
            : $" by {(change.By.DisplayName is { Length: > 0 } name ? name : "the practice")}";
        var toRecipient = recipientId == change.ToMemberId;
        var (subjectLine, sentence) = toRecipient
            ? ("you are now the primary clinician",
                $"{client.ShortName} was transferred to you from {other.Name}{by}. You are now their primary clinician.")
            : ($"transferred to {other.Name}",
                $"{client.ShortName} was transferred from you to {other.Name}{by}. {other.Name} is now their primary clinician.");
        // The previous primary may no longer see the client: their link goes to their client list.
        var (link, linkText) = toRecipient
            ? (Links.ClientInConsole(configuration, change.ClientId), $"Open {client.ShortName}'s profile")
            : ($"{Links.PublicUrl(configuration)}/console/clients", "Open your client list");

        session.Store(new ProviderNotification
        {
            Id = id,
            ProviderId = recipientId,
            ClientId = change.ClientId,
            Kind = NotificationKind.CareTeam,
            Text = sentence,
            Link = link,
            At = clock.GetUtcNow(),
        });
        var values = new Dictionary<string, string>
        {
            ["providerName"] = recipient.Name,
            ["clientName"] = client.ShortName,
            ["subjectLine"] = subjectLine,
            ["sentence"] = sentence,
            ["consoleLink"] = link,
            ["linkText"] = linkText,
        };
        var reader = await EmailReaders.ForProviderAsync(session, recipient, cancellation);
        var email = new SendEmail(id, change.TransferId, "provider-transfer", recipient.Email, reader.Dress(values), clock.GetUtcNow());
        return await sender.SendNowAsync(session, email, await deliveryLoad, cancellation);
    }
}
