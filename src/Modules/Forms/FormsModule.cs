using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Modules;
using Portal.Forms.Assessments;
using Portal.Forms.Roster;
using Portal.Forms.Documents;
using Portal.Forms.IntakeForms;
using Portal.Forms.Safety;

namespace Portal.Forms;

/// <summary>
/// What a client signs, fills in and answers: practice documents with e-signature, intake forms with conditional
/// logic, and standard assessments (PHQ-9, GAD-7). The intake workflows decide when each is asked for.
/// </summary>
public sealed class FormsModule : IPortalModule
{
    public string Name => "forms";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(SafetyFlagSettings.From(configuration));
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Documents", "/portal/documents", 40));
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Forms", "/portal/forms", 41));
        services.AddSingleton(new NavigationLink(PortalArea.Client, "Assessments", "/portal/assessments", 42));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Documents", "/console/documents", 40, PortalPolicies.Provider));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Intake forms", "/console/forms", 41, PortalPolicies.Provider));
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<FormsClient>().DatabaseSchemaName(Name).Index(c => c.ProviderId);
        options.Schema.For<PracticeDocument>().DatabaseSchemaName(Name).Index(d => d.PracticeId);
        options.Schema.For<IntakeForm>().DatabaseSchemaName(Name).Index(f => f.PracticeId);
        options.Schema.For<FormDraft>().DatabaseSchemaName(Name).Index(d => d.ClientId);
        options.Schema.For<FormResponse>().DatabaseSchemaName(Name).Index(r => r.ClientId);
        options.Schema.For<AssessmentResult>().DatabaseSchemaName(Name).Index(r => r.ClientId);
        options.Schema.For<AssessmentSchedule>().DatabaseSchemaName(Name).Index(s => s.ClientId);
        options.Schema.For<SafetyFlag>().DatabaseSchemaName(Name).Index(f => f.ClientId).Index(f => f.ProviderId);

        // A signature is an event, appended once to its own stream and never changed: the event store has no update.
        options.Events.AddEventType<DocumentSigned>();
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
    }
}
