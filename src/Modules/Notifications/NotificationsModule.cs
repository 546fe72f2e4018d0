using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Wolverine;

namespace Portal.Notifications;

public sealed class NotificationsModule : IPortalModule
{
    public string Name => "notifications";

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
