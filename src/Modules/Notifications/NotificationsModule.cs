using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Messaging;
using Portal.BuildingBlocks.Modules;
using Portal.Notifications.Delivery;
using Portal.Notifications.Digest;
using Portal.Notifications.Inbox;
using Portal.Notifications.Preferences;
using Portal.Notifications.ProviderEmails;
using Portal.Notifications.Roster;
using Wolverine.ErrorHandling;

namespace Portal.Notifications;

/// <summary>
/// Notifications owns every outgoing email. Other modules publish what happened (contracts); the handlers here
/// decide who is told and how, and cascade a <see cref="SendEmail"/> that one durable handler renders and sends; the
/// emails that come in thousands (invitations, the provider's emails about what a client did) are sent by the handler
/// that decides on them (<see cref="EmailSender.SendNowAsync"/>), with SendEmail taking over after a failure.
/// </summary>
public sealed class NotificationsModule : IPortalModule
{
    public string Name => "notifications";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Notifications", "/console/notifications", 80, PortalPolicies.PracticeMember));
        services.AddSingleton(new NavigationLink(PortalArea.Support, "Email deliveries", "/support/deliveries", 50));
        services.AddSingleton<EmailSender>();
        services.AddSingleton<ProviderNotifier>();
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<DeliveryRecord>().DatabaseSchemaName(Name)
            .Index(d => d.RequestedAt)
            .Index(d => d.To);
        options.Schema.For<NotificationsClient>().DatabaseSchemaName(Name).Index(c => c.Email);
        options.Schema.For<NotificationsProvider>().DatabaseSchemaName(Name).Index(p => p.Email);
        options.Schema.For<NotificationsContacts>().DatabaseSchemaName(Name);
        options.Schema.For<NotificationAwaitingRoster>().DatabaseSchemaName(Name).Index(m => m.AwaitedId);
        // Its columns and index: see ProviderNotificationIndexesAttribute.
        options.Schema.For<ProviderNotification>().DatabaseSchemaName(Name);
        options.Schema.For<NotificationPreferences>().DatabaseSchemaName(Name);
        options.Schema.For<NotificationsPractice>().DatabaseSchemaName(Name);
        options.Schema.For<NotificationsPersonZone>().DatabaseSchemaName(Name);
        options.Schema.For<DigestSchedule>().DatabaseSchemaName(Name);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
        // Roster facts may arrive after the event that needs them: try again shortly, then hold the message until the
        // copy arrives (TrackClient/TrackProvider release it), so no notification is lost to the error queue.
        options.RetryThenHold<RosterNotYetKnownException, NotificationAwaitingRoster>();
    }
}
