using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.BuildingBlocks.Modules;
using Portal.Invitations.Accounts;
using Portal.Invitations.BreakGlass;
using Portal.Invitations.DataProtection;
using Portal.Invitations.EmailChanges;
using Portal.Invitations.Invites;
using Portal.Invitations.PasswordReset;
using Portal.Invitations.Roster;
using Portal.Invitations.Sessions;
using Portal.Invitations.SignIn;
using Portal.Invitations.Support;

namespace Portal.Invitations;

/// <summary>
/// Accounts and sign-in: client invitations and activation, sign-in with password and TOTP, lock-out, password
/// reset, email changes, the server-side record of each signed-in session, support's break-glass grants to health
/// information, and the Data Protection key ring shared by every host.
/// </summary>
public sealed class InvitationsModule : IPortalModule
{
    public string Name => "invitations";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection().SetApplicationName("Portal");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, UsePostgresKeyRing>();
        services.AddHostedService<SupportAccountSeeding>();
        services.AddSingleton<ISignInSessions, SignInSessions>();
        services.AddSingleton<IBreakGlassGrants, BreakGlassGrants>();
        services.AddMemoryCache();
        services.AddSingleton<IPersonalTimeZones, PersonalTimeZones>();
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Time zone", "/account/time-zone", 96));
        services.AddSingleton(new NavigationLink(PortalArea.Support, "Time zone", "/account/time-zone", 96));
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Home", "/portal", 0));
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Account", "/portal/account", 90));
        services.AddSingleton(new NavigationLink(PortalArea.Support, "Accounts", "/support/accounts", 20));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Sessions", "/console/account/sessions", 95));
        services.AddSingleton(new NavigationLink(PortalArea.Support, "Sessions", "/support/account/sessions", 95));

        var perAddress = configuration.GetValue("Portal:RateLimits:AccountRequestsPerMinute", 30);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Requests without a remote address (in-process test servers) are not limited by address; the
            // per-email locks of the sign-in flow still apply to them. The owner who has just reset their password
            // gets a budget of their own, so traffic from the same address cannot keep them out (JustReset).
            options.AddPolicy(AuthRateLimits.Policy, context =>
                (JustReset.Recall(context) is { } accountId ? "reset|" + accountId : context.Connection.RemoteIpAddress?.ToString())
                    is { } key
                    ? RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = perAddress,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("no-address"));
        });
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<Account>().DatabaseSchemaName(Name)
            .UniqueIndex(a => a.Email)
            .Index(a => a.ClientId)
            .Index(a => a.ProviderId);
        options.Schema.For<Invitation>().DatabaseSchemaName(Name)
            .UniqueIndex(i => i.TokenHash)
            .Index(i => i.ClientId);
        options.Schema.For<InvitationsClient>().DatabaseSchemaName(Name).Index(c => c.ProviderId);
        options.Schema.For<InvitationsProvider>().DatabaseSchemaName(Name);
        options.Schema.For<Contacts.InvitationsContacts>().DatabaseSchemaName(Name);
        options.Schema.For<Contacts.InvitationsMinorsPolicy>().DatabaseSchemaName(Name);
        options.Schema.For<Contacts.ContactInvitation>().DatabaseSchemaName(Name)
            .UniqueIndex(i => i.TokenHash)
            .Index(i => i.ClientId);
        options.Schema.For<InvitationAwaitingRoster>().DatabaseSchemaName(Name);
        options.Schema.For<Members.MemberInvitation>().DatabaseSchemaName(Name)
            .UniqueIndex(i => i.TokenHash)
            .Index(i => i.ProviderId);
        options.Schema.For<SignInSession>().DatabaseSchemaName(Name).Index(s => s.UserId);
        options.Schema.For<PasswordResetTicket>().DatabaseSchemaName(Name).UniqueIndex(t => t.TokenHash);
        options.Schema.For<HealthAccessGrant>().DatabaseSchemaName(Name).Index(g => g.SupportUserId).Index(g => g.ClientId);
        options.Schema.For<EmailChangeRequest>().DatabaseSchemaName(Name).Index(r => r.ClientId).Index(r => r.ProviderId);
        options.Schema.For<Portal.Invitations.EmailCorrections.EmailCorrection>().DatabaseSchemaName(Name).Index(c => c.ClientId);
        // A challenge is answered once: the version check refuses the second of two answers racing each other.
        options.Schema.For<Passkeys.PasskeyCeremony>().DatabaseSchemaName(Name).UseOptimisticConcurrency(true);
        options.Schema.For<Security.ClientSignInRule>().DatabaseSchemaName(Name);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
