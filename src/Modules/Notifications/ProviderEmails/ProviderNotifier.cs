using Portal.BuildingBlocks.Concurrency;
using Portal.Notifications.Delivery;
using Portal.Notifications.Digest;
using Portal.Notifications.Inbox;
using Portal.Notifications.Preferences;
using Portal.Notifications.Roster;

namespace Portal.Notifications.ProviderEmails;

/// <summary>
/// Something a client did that their provider is told about: "Jane D. {action}". <see cref="CausedBy"/> is the event
/// (or request) behind it; a replay of it tells the provider nothing more.
/// </summary>
public sealed record ClientActivity(NotificationKind Kind, Guid CausedBy, Guid ProviderId, Guid ClientId, string Action);

/// <summary>
/// Tells a provider about something one of their clients did: an entry in the in-app list, and an email now or in
/// the next daily digest (as the provider chose; urgent ones always now). The wording names the client ("Jane D.")
/// and the action only: never a score, severity or answer. Each handler of a client's doing says which activity it
/// was; this does the rest in the handler's session.
/// </summary>
public sealed class ProviderNotifier(IConfiguration configuration, TimeProvider clock, EmailSender sender)
{
    /// <summary>Tells the provider when the client acted through the portal; a provider's own change is not emailed.</summary>
    public Task<OutgoingMessages> NotifyIfClientActedAsync(
        IDocumentSession session, Actor actor, ClientActivity activity, CancellationToken cancellation) =>
        actor.Kind == ActorKind.Client
            ? NotifyAsync(session, actor.ContactName is { } contact
                // A contact acted for the client (a parent): the email names the client and who acted.
                ? activity with { Action = $"{activity.Action} (by {contact}, {actor.Relationship})" }
                : activity, cancellation)
            : Task.FromResult(new OutgoingMessages());

    /// <summary>
    /// Tells the client's primary clinician, and cascades the same to each care-team member who asked for these emails
    /// (<see cref="NotificationPreferences.CareTeamEmails"/>); each of them is told in a transaction of their own. Who
    /// is the primary is this module's copy of the client's say, so after a transfer the new primary is told, whatever
    /// the sending module's copy held. Front desk and billing are never told about a client's doings.
    /// </summary>
    public async Task<OutgoingMessages> NotifyAsync(IDocumentSession session, ClientActivity activity, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<NotificationsClient>(activity.ClientId, cancellation)
                     ?? throw new RosterNotYetKnownException("client", activity.ClientId);
        var teamIds = client.CareTeam.Where(id => id != client.ProviderId).Distinct().ToArray();
        var subscribed = new List<Guid>();
        if (teamIds.Length > 0)
        {
            var members = await session.LoadManyAsync<NotificationsProvider>(cancellation, teamIds);
            var preferences = (await session.LoadManyAsync<NotificationPreferences>(cancellation, teamIds)).ToDictionary(p => p.Id);
            subscribed.AddRange(members
                .Where(m => m.IsClinical && m.PracticeId == client.PracticeId
                            && preferences.GetValueOrDefault(m.Id)?.CareTeamEmails == true)
                .Select(m => m.Id));
        }

        var messages = await NotifyMemberAsync(session, activity with { ProviderId = client.ProviderId }, cancellation);
        foreach (var memberId in subscribed) messages.Add(new NotifyCareTeamMember(activity with { ProviderId = memberId }));
        return messages;
    }

    /// <summary>Tells one member (<see cref="ClientActivity.ProviderId"/>) about the activity, once.</summary>
    internal async Task<OutgoingMessages> NotifyMemberAsync(IDocumentSession session, ClientActivity activity, CancellationToken cancellation)
    {
        var (kind, causedBy, providerId, clientId, action) = activity;
        var urgent = kind == NotificationKind.SafetyFlag;
        var now = clock.GetUtcNow();
        var id = DeterministicId.From("provider", kind, causedBy, providerId);
        var link = Links.ClientInConsole(configuration, clientId);

        // Everything this needs in one round trip to the database (it runs for every task a client completes), behind the
        // edit lock of the email's delivery (the same lock SendEmail takes): the email is sent here, see below.
        var batch = await EditLock.LockedBatchAsync<DeliveryRecord>(session, id, cancellation);
        var providerLoad = batch.Load<NotificationsProvider>(providerId);
        var clientLoad = batch.Load<NotificationsClient>(clientId);
        var existingLoad = batch.Load<ProviderNotification>(id);
        var preferencesLoad = batch.Load<NotificationPreferences>(providerId);
        var scheduleLoad = batch.Load<DigestSchedule>(providerId);
        var deliveryLoad = batch.Load<DeliveryRecord>(id);
        await batch.Execute(cancellation);
        var provider = await providerLoad ?? throw new RosterNotYetKnownException("provider", providerId);
        var client = await clientLoad ?? throw new RosterNotYetKnownException("client", clientId);

        if (await existingLoad is not null) return []; // a replay of an event already handled

        var preferences = await preferencesLoad ?? NotificationPreferences.Default(providerId);
        var mode = preferences.ModeFor(kind);

        var notification = new ProviderNotification
        {
            Id = id,
            ProviderId = providerId,
            ClientId = clientId,
            Kind = kind,
            Text = urgent ? $"{client.ShortName} needs your attention today" : $"{client.ShortName} {action}",
            Link = link,
            Urgent = urgent,
            At = now,
            AwaitingDigest = mode == EmailMode.DailyDigest,
        };
        session.Store(notification);

        var messages = new OutgoingMessages();
        if (mode == EmailMode.Immediate)
        {
            var template = kind switch
            {
                NotificationKind.SafetyFlag => "provider-urgent",
                NotificationKind.EmailChangeRequest => "provider-email-change",
                _ => "provider-activity",
            };
            var values = new Dictionary<string, string>
            {
                ["providerName"] = provider.Name,
                ["clientName"] = client.ShortName,
                ["consoleLink"] = link,
            };
            if (template == "provider-activity") values["action"] = action;
            var reader = await EmailReaders.ForProviderAsync(session, provider, cancellation);
            var email = new SendEmail(id, causedBy, template, provider.Email, reader.Dress(values), now);
            messages.AddRange(await sender.SendNowAsync(session, email, await deliveryLoad, cancellation));
            return messages;
        }

        var schedule = await scheduleLoad;
        if (schedule is null || schedule.DueAt <= now)
        {
            schedule = new DigestSchedule { Id = providerId, DueAt = preferences.NextDigestAfter(now) };
            session.Store(schedule);
            messages.Add(new SendDigest(providerId, schedule.DueAt).ScheduledAt(schedule.DueAt));
        }
        return messages;
    }
}

/// <summary>A client's doing, for one care-team member who asked to be told about their team's clients.</summary>
public sealed record NotifyCareTeamMember(ClientActivity Activity);

public sealed class NotifyCareTeamMemberHandler
{
    public static Task<OutgoingMessages> Handle(
        NotifyCareTeamMember message, IDocumentSession session, ProviderNotifier notifier, CancellationToken cancellation) =>
        notifier.NotifyMemberAsync(session, message.Activity, cancellation);
}
