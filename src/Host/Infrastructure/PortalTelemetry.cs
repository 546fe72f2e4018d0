using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portal.Host.Infrastructure;

/// <summary>
/// OpenTelemetry traces and metrics for HTTP, Wolverine (handlers, sends) and Marten (sessions, appends).
/// Exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, to the console when Portal:Telemetry:Console is true,
/// and not at all otherwise.
/// </summary>
internal static class PortalTelemetry
{
    public static bool IsExported(IConfiguration configuration) => ExportsOtlp(configuration) || ExportsToConsole(configuration);

    private static bool ExportsOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool ExportsToConsole(IConfiguration configuration) => configuration.GetValue("Portal:Telemetry:Console", false);

    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = ExportsOtlp(configuration);
        var console = ExportsToConsole(configuration);
        if (!otlp && !console) return services;

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("portal"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options => options.Filter = context =>
                        !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddSource("Wolverine")
                    .AddSource("Marten")
                    .AddSource("Portal.*");
                if (otlp) tracing.AddOtlpExporter();
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter("Wolverine")
                    .AddMeter("Marten")
                    .AddMeter("Portal.*");
                if (otlp) metrics.AddOtlpExporter();
                if (console) metrics.AddConsoleExporter();
            });
        return services;
    }
}
