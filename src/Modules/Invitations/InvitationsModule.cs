using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Wolverine;

namespace Portal.Invitations;

public sealed class InvitationsModule : IPortalModule
{
    public string Name => "invitations";

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
