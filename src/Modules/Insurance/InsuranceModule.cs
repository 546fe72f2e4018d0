using JasperFx.Events.Projections;
using Marten.Events.Projections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Insurance.Photos;
using Portal.Insurance.Plans;
using Portal.Insurance.Roster;

namespace Portal.Insurance;

/// <summary>
/// Insurance: each client's primary and secondary plan as an event stream (stream id = client id), card photos in
/// the module's own table, review by the provider, and <see cref="Portal.Contracts.InsuranceChanged"/> for every change.
/// </summary>
public sealed class InsuranceModule : IPortalModule
{
    public const string Schema = "insurance";

    public string Name => Schema;

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddExceptionHandler<ConcurrentChangeProblems>();
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Insurance", "/portal/insurance", 30));
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<InsuranceClient>().DatabaseSchemaName(Schema).Index(c => c.ProviderId);
        options.Schema.For<ClientInsurance>().DatabaseSchemaName(Schema);
        options.Projections.Snapshot<ClientInsurance>(SnapshotLifecycle.Inline);
        options.Events.AddEventType<PlanAdded>();
        options.Events.AddEventType<PlanUpdated>();
        options.Events.AddEventType<PlanRemoved>();
        options.Events.AddEventType<CardPhotoAttached>();
        options.Events.AddEventType<PlanVerified>();
        options.Events.AddEventType<PlanReturned>();
        options.Storage.ExtendedSchemaObjects.Add(CardPhotoStore.Table(Schema));
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
