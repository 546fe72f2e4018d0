using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Wolverine;

namespace Portal.Intake;

public sealed class IntakeModule : IPortalModule
{
    public string Name => "intake";

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
