using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Sample.Notes;
using Portal.Sample.Roster;

namespace Portal.Sample;

/// <summary>The Sample module's one registration entry point.</summary>
public sealed class SampleModule : IPortalModule
{
    public string Name => "sample";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<SampleClient>().DatabaseSchemaName(Name);
        options.Schema.For<SampleNote>().DatabaseSchemaName(Name).Index(note => note.ClientId);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
