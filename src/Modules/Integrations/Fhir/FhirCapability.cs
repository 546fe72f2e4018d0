using Portal.Integrations.ApiClients;
using R4 = Hl7.Fhir.Model;

namespace Portal.Integrations.Fhir;

/// <summary>What /fhir/metadata says this server does: R4, JSON only, read and search, the scopes and where to get a token.</summary>
internal static class FhirCapability
{
    public static R4.CapabilityStatement Statement(HttpContext http)
    {
        var resources = ApiScopes.FhirResources
            .SelectMany(pair => pair.Value.Select(type => (Type: type, Scope: pair.Key)))
            .Select(x => new R4.CapabilityStatement.ResourceComponent
            {
                Type = x.Type,
                Interaction =
                [
                    new() { Code = R4.CapabilityStatement.TypeRestfulInteraction.Read },
                    new() { Code = R4.CapabilityStatement.TypeRestfulInteraction.SearchType },
                ],
                SearchParam = x.Type == "Patient"
                    ? [Parameter("_id", R4.SearchParamType.Token), Parameter("_lastUpdated", R4.SearchParamType.Date)]
                    : [Parameter("patient", R4.SearchParamType.Reference), Parameter("_lastUpdated", R4.SearchParamType.Date)],
                Documentation = new R4.Markdown($"Needs the scope {x.Scope}, {ApiScopes.Smart(x.Type)} or {ApiScopes.SmartAll}."),
            })
            .ToList();

        return new R4.CapabilityStatement
        {
            Status = R4.PublicationStatus.Active,
            Date = "2026-12-07",
            Kind = R4.CapabilityStatementKind.Instance,
            Software = new R4.CapabilityStatement.SoftwareComponent { Name = "Portal" },
            Implementation = new R4.CapabilityStatement.ImplementationComponent
            {
                Description = "The practice's client portal: read-only FHIR R4",
                Url = FhirResources.BaseUrl(http),
            },
            FhirVersion = R4.FHIRVersion.N4_0_1,
            Format = ["json", FhirResponses.ContentType],
            Rest =
            [
                new R4.CapabilityStatement.RestComponent
                {
                    Mode = R4.CapabilityStatement.RestfulCapabilityMode.Server,
                    Security = new R4.CapabilityStatement.SecurityComponent
                    {
                        Service = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "OAuth",
                            "OAuth", null)],
                        Description = new R4.Markdown(
                            $"OAuth 2.0 client credentials at {ApiClientLimits.TokenEndpoint}; a token reads its own practice only."),
                    },
                    Resource = resources,
                },
            ],
        };
    }

    private static R4.CapabilityStatement.SearchParamComponent Parameter(string name, R4.SearchParamType type) =>
        new() { Name = name, Type = type };
}
