using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Wolverine;

namespace Portal.Autopay;

public sealed class AutopayModule : IPortalModule
{
    public string Name => "autopay";

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
