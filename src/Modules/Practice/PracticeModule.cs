using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Practice.Roster;

namespace Portal.Practice;

/// <summary>
/// The roster: practices, their providers and their clients, and who of them the portal is open to (eligibility).
/// It publishes <see cref="Portal.Contracts.ClientRosterChanged"/> and <see cref="Portal.Contracts.ProviderRosterChanged"/>
/// after every change; other modules keep their own copies and never read these tables.
/// </summary>
public sealed class PracticeModule : IPortalModule
{
    public string Name => "practice";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new NavigationLink(PortalArea.Support, "Practices", "/support/practices", 10));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Practice members", "/console/practice/members", 200,
            PortalPolicies.Owner));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Practice settings", "/console/practice/settings", 201,
            PortalPolicies.Owner));
        services.AddSingleton<IClientVisibility, Clients.RosterClientVisibility>();
        services.AddMemoryCache();
        services.AddSingleton<IPracticeLooks, Practices.PracticeLooks>();
        services.AddHostedService<Members.PreRolesMemberRolesAtStart>();
        services.AddSingleton<Portal.BuildingBlocks.Localization.IClientLanguages, Clients.ClientLanguages>();
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<RosterPractice>().DatabaseSchemaName(Name);
        options.Schema.For<RosterProvider>().DatabaseSchemaName(Name)
            .UniqueIndex(p => p.Email)
            .Index(p => p.PracticeId);
        // The provider's client list reads one page in name order: (provider, last name, first name) serves both the
        // filter and the order, so a page costs the same with 10 or 10,000 clients.
        options.Schema.For<RosterClient>().DatabaseSchemaName(Name)
            .Index(c => new { c.ProviderId, c.LastName, c.FirstName });
        options.Schema.For<Contacts.ClientContacts>().DatabaseSchemaName(Name);
        options.Schema.For<Members.MemberAccountFacts>().DatabaseSchemaName(Name);
        options.Schema.For<Practices.PracticeLogo>().DatabaseSchemaName(Name);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
