using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Portal.BuildingBlocks.Modules;

/// <summary>
/// The one registration entry point of a module. The host lists every module once and calls these in order;
/// a module never touches another module's registrations.
/// </summary>
public interface IPortalModule
{
    /// <summary>Module name; also its PostgreSQL schema.</summary>
    string Name { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration);

    void ConfigureMarten(StoreOptions options);

    void ConfigureWolverine(WolverineOptions options);
}
