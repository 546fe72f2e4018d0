using System.Threading.RateLimiting;
using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Messaging;
using Portal.BuildingBlocks.Modules;
using Portal.Intake.Catalog;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake;

/// <summary>
/// Intake workflows: provider-defined, versioned task sequences, each assignment an event-sourced process driven by
/// the other modules' messages and by durable timers.
/// </summary>
public sealed class IntakeModule : IPortalModule
{
    public string Name => "intake";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new NavigationLink(PortalArea.Client, "My tasks", "/portal/tasks", 10));
        services.AddSingleton(new NavigationLink(PortalArea.Console, "Workflows", "/console/workflows", 30, PortalPolicies.Provider));
        // A bulk assignment holds its 500 clients' work in memory until it commits, and several at once finished no sooner
        // (docs/performance.md): they take turns; up to 64 wait (in order), more are refused with 429.
        services.AddRateLimiter(options => options.AddConcurrencyLimiter(BulkAssignmentPolicy, limiter =>
        {
            limiter.PermitLimit = 1;
            limiter.QueueLimit = 64;
            limiter.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
        }));
        // A library workflow is copied, not changed, by a clinician who did not write it: the builder page refuses too.
        services.Configure<RazorPagesOptions>(options => options.Conventions.AddPageApplicationModelConvention(
            WorkflowEditGuard.Page, page => page.Filters.Add(new WorkflowEditGuard())));
    }

    /// <summary>The rate-limiter policy of the bulk assignment endpoint: one at a time per host.</summary>
    public const string BulkAssignmentPolicy = "bulk-assignment";

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<WorkflowDefinition>().DatabaseSchemaName(Name).Index(d => d.ProviderId);
        options.Schema.For<CatalogItem>().DatabaseSchemaName(Name);
        options.Schema.For<IntakeClient>().DatabaseSchemaName(Name).Index(c => c.ProviderId);
        options.Schema.For<IntakeMessageAwaitingRoster>().DatabaseSchemaName(Name).Index(m => m.AwaitedId);
        options.Schema.For<ClientActivity>().DatabaseSchemaName(Name);
        options.Schema.For<Requesting.StoppedSchedule>().DatabaseSchemaName(Name);
        options.Schema.For<Dates.PracticeWorkflowDates>().DatabaseSchemaName(Name);
        options.Schema.For<IntakeAssignment>().DatabaseSchemaName(Name).Index(a => a.ClientId).Index(a => a.DefinitionId!);

        options.Events.AddEventType<AssignmentStarted>();
        options.Events.AddEventType<AssignmentStageStarted>();
        options.Events.AddEventType<AssignmentTaskRequested>();
        options.Events.AddEventType<AssignmentTaskCompleted>();
        options.Events.AddEventType<AssignmentTaskSkipped>();
        options.Events.AddEventType<AssignmentReminderSent>();
        options.Events.AddEventType<AssignmentTaskOverdue>();
        options.Events.AddEventType<AssignmentFinished>();
        options.Events.AddEventType<AssignmentCancelled>();
        options.Events.AddEventType<AssignmentDateSet>();
        options.Events.AddEventType<AssignmentTaskWaiting>();
        options.Events.AddEventType<AssignmentTaskScheduled>();
        options.Events.AddEventType<AssignmentTaskDueChanged>();
        options.Events.AddEventType<AssignmentTaskNotNeeded>();
        options.Events.AddEventType<AssignmentMigrated>();
        // The assignment's state is kept with its events, in the same transaction: handlers and pages read it at once.
        options.Projections.Snapshot<IntakeAssignment>(SnapshotLifecycle.Inline);
    }

    public void ConfigureWolverine(WolverineOptions options)
    {
        // A message about a client the roster has not told Intake about yet waits for it: tried again shortly, then
        // held until the copy arrives (ClientRosterChangedHandler releases it), never moved to the error queue.
        options.RetryThenHold<ClientNotYetKnownException, IntakeMessageAwaitingRoster>();
    }
}
