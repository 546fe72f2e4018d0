using JasperFx;
using Portal.Host;

var app = PortalApplication.Build(args);
return await app.RunJasperFxCommands(args);

/// <summary>Entry point type for tests (WebApplicationFactory / Alba).</summary>
public partial class Program;
