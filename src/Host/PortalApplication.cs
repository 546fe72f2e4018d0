using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using Marten;
using Npgsql;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Data;
using Portal.BuildingBlocks.Modules;
using Portal.Host.Records;
using Portal.BuildingBlocks.Validation;
using Portal.BuildingBlocks.Web;
using Portal.Host.Infrastructure;
using Scalar.AspNetCore;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace Portal.Host;

/// <summary>The composition root: builds the web application from the modules and the shared infrastructure.</summary>
internal static class PortalApplication
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Payment secrets may come from a file of their own (never appsettings); the start is refused when the
        // processor would be the sandbox in Production without an opt-in, or Stripe without its keys.
        if (builder.Configuration[Portal.Autopay.Payments.PaymentsConfiguration.SecretsFileKey] is { Length: > 0 } paymentSecrets)
            builder.Configuration.AddJsonFile(paymentSecrets, optional: false, reloadOnChange: false);
        Portal.Autopay.Payments.PaymentsConfiguration.Read(builder.Configuration, builder.Environment.IsProduction());
        // A rule stops at its first failure, so later checks never see the null an earlier one refused.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
        // Modules' wwwroot files (/_content/Portal.<Name>/...) from the build output in every environment that runs
        // unpublished (tests too); a published app has them in its own wwwroot and no manifest, so this does nothing.
        builder.WebHost.UseStaticWebAssets();
        var connectionString = PortalDatabase.ConnectionString(builder.Configuration);

        builder.Services.AddSingleton(PortalClock.For(builder.Environment, builder.Configuration));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddRazorPages();
        builder.Services.AddPortalLocalization();
        builder.Services.AddPortalAuthentication(builder.Environment);
        builder.Services.AddPortalTelemetry(builder.Configuration);
        builder.Services.AddRequestLimits();
        // Outside development (UseHsts below): browsers keep to HTTPS for a year, subdomains included.
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        // A null where the request type forbids one is a 400, not a null reference further in.
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.MaxDepth = 32;
        });
        if (!builder.Environment.IsDevelopment()) builder.Logging.AddJsonConsole();
        builder.Services.AddSingleton(new ContributedSections(PortalModules.All.Select(m => m.GetType().Assembly).Distinct()));
        builder.Services.AddClientRecordExports(PortalModules.All.Select(m => m.GetType().Assembly).Distinct());
        builder.Services.AddSingleton<Portal.Host.Support.SystemHealthReader>();
        builder.Services.AddSingleton<Portal.BuildingBlocks.Messaging.IDeadLetterSearch, Portal.Host.Support.DeadLetterSearch>();
        builder.Services.AddSingleton<Portal.Host.Demo.DemoInvitations>();
        builder.Services.AddHostedService<Portal.Host.Demo.DemoData>();
        builder.Services.AddSingleton(new NavigationLink(PortalArea.Console, "Dashboard", "/console", 0));
        builder.Services.AddSingleton(new NavigationLink(PortalArea.Support, "Home", "/support", 0));
        builder.Services.AddSingleton(new NavigationLink(PortalArea.Support, "Clients", "/console/clients", 15));
        builder.Services.AddSingleton(new NavigationLink(PortalArea.Support, "System health", "/support/health", 90));
        builder.Services.AddSingleton(new NavigationLink(PortalArea.Support, "Audit log", "/support/audit", 95));
        var listConnectionString = PortalDatabase.ListQueryConnectionString(connectionString, builder.Configuration);
        builder.Services.AddSingleton(_ => new ListQueryPool(NpgsqlDataSource.Create(listConnectionString)));
        builder.Services.AddHealthChecks()
            .AddCheck("postgres", new PostgresHealthCheck(connectionString), tags: ["ready"]);

        foreach (var module in PortalModules.All)
        {
            module.AddServices(builder.Services, builder.Configuration);
            builder.Services.AddModuleConventions(module.GetType().Assembly);
        }

        builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = "portal";
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Events.DatabaseSchemaName = "events";
                options.Schema.For<AuditEntry>().DatabaseSchemaName("audit");
                options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
                options.OpenTelemetry.TrackEventCounters();
                foreach (var module in PortalModules.All) module.ConfigureMarten(options);
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(integration => integration.MessageStorageSchemaName = "wolverine")
            // Marten's schema and Wolverine's message tables (IntegrateWithWolverine) are brought up to date once here;
            // Wolverine also builds its own storage at start (AutoBuildMessageStorageOnStartup). A resource setup on
            // top would check both again: a quarter of a second more of every start, for nothing.
            .ApplyAllDatabaseChangesOnStartup();

        // After the modules' own handlers (tried in registration order).
        builder.Services.AddExceptionHandler<ConcurrentEditProblems>();
        builder.Services.AddExceptionHandler<TooLargeProblems>();
        builder.Services.AddExceptionHandler<DatabaseBusyProblems>();
        // After AddMarten: starts once Marten has created the audit table.
        builder.Services.AddHostedService<AuditLogProtection>();

        builder.Host.UseWolverine(options =>
        {
            foreach (var module in PortalModules.All)
            {
                options.Discovery.IncludeAssembly(module.GetType().Assembly);
                module.ConfigureWolverine(options);
            }

            if (builder.Configuration.GetValue("Portal:DemoData", false))
                options.Discovery.IncludeType(typeof(Demo.DemoInvitationListener));

            // Each module handles a shared message on its own durable queue, so one module's failure or retry
            // never replays another module's work.
            options.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
            options.Policies.UseDurableLocalQueues();
            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
            options.Policies.AutoApplyTransactions();
            options.Policies.Add<MessageValidationPolicy>();
            options.OnException<ValidationException>().MoveToErrorQueue();

            options.CodeGeneration.TypeLoadMode = builder.Configuration.GetValue("Portal:TypeLoadMode", TypeLoadMode.Dynamic);
            if (builder.Environment.IsDevelopment()) options.Durability.Mode = DurabilityMode.Solo;
            // The inbox and outbox counts behind Wolverine's gauges scan the inbox: only when exported, every 30 s
            // (docs/performance.md, "Wolverine's inbox metrics"; Portal:Durability below overrides).
            options.Durability.DurabilityMetricsEnabled = PortalTelemetry.IsExported(builder.Configuration);
            options.Durability.UpdateMetricsPeriod = TimeSpan.FromSeconds(30);
            // Operators may tune how fast a dead node's work is taken over (e.g. Portal:Durability:StaleNodeTimeout,
            // HealthCheckPollingTime, ScheduledJobPollingTime, UpdateMetricsPeriod); Wolverine's defaults apply otherwise.
            builder.Configuration.GetSection("Portal:Durability").Bind(options.Durability);

            // The Roslyn compiler for TypeLoadMode.Dynamic, registered here: extension discovery (ManualOnly below) would
            // load every deployed assembly into memory to look for modules (docs/performance.md, "Memory").
            options.UseRuntimeCompilation();
        }, ExtensionDiscovery.ManualOnly);
        builder.Services.AddWolverineHttp();

        var app = builder.Build();

        app.UsePortalErrorResponses();
        app.UseSecurityHeaders(apiReference: app.Environment.IsDevelopment());
        app.UseRequestLimits();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRefusalAudit();
        app.UseAuthentication();
        Portal.Integrations.IntegrationsModule.UseApiClients(app);
        app.UseReaderContext();
        app.UsePortalLocalization();
        app.UseAuthorization();
        app.UseContactPermissions();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi();
        // The API reference needs an inline script (see SecurityHeaders): development only.
        if (app.Environment.IsDevelopment()) app.MapScalarApiReference("/scalar");
        app.MapRazorPages();
        app.MapWolverineEndpoints(options =>
        {
            options.AddPolicy<HttpValidationPolicy>();
            // '?page=abc' is a 400 with problem details, not a silent page 0.
            options.RejectUnparseableQueryValues = true;
        });

        return app;
    }
}
