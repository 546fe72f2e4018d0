using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Wolverine;

namespace Portal.Insurance;

public sealed class InsuranceModule : IPortalModule
{
    public string Name => "insurance";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void ConfigureMarten(StoreOptions options)
    {
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
