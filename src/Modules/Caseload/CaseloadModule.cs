using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.BuildingBlocks.Web;
using Portal.Caseload.Clients;
using Wolverine;

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
        options.Schema.For<CaseloadClient>().DatabaseSchemaName(Name)
            .Duplicate(c => c.ProviderId, notNull: true)
            .Duplicate(c => c.SortName, notNull: true)
            .Duplicate(c => c.FullName, notNull: true)
            .Duplicate(c => c.EmailKey, notNull: true)
            .Duplicate(c => c.LastActivityAt!);
        // The list's own composite indexes: see CaseloadIndexesAttribute.
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
