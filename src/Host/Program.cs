using JasperFx;
using Portal.Host;

WebApplication app;
try
{
    app = PortalApplication.Build(args);
}
catch (Portal.Autopay.Payments.PaymentsConfigurationException refused)
{
    // A payments set-up that would take no real payment, or could not, stops the start with its one-line reason.
    Console.Error.WriteLine($"Portal will not start: {refused.Message}");
    return 1;
}
return await app.RunJasperFxCommands(args);

/// <summary>Entry point type for tests (WebApplicationFactory / Alba).</summary>
public partial class Program;
