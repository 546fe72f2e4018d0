using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Caseload.Roster;

namespace Portal.Caseload;

/// <summary>
/// The provider's caseload: a read model of every client (roster, portal status, task progress, Last Updated) built
/// from other modules' messages, the list API and the console's client list page.
/// </summary>
public sealed class CaseloadModule : IPortalModule
{
    public string Name => "caseload";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Clients", "/console/clients", 10));
    }

    public void ConfigureMarten(StoreOptions options)
    {
        // The duplicated columns and the list's indexes: see CaseloadIndexesAttribute.
        options.Schema.For<CaseloadClient>().DatabaseSchemaName(Name);
        // The clinician filter's choices: a practice's members, read by practice.
        options.Schema.For<CaseloadMember>().DatabaseSchemaName(Name).Duplicate(m => m.PracticeId, notNull: true);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
