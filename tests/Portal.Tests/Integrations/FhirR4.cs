using Firely.Fhir.Validation;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using R4 = Hl7.Fhir.Model;

namespace Portal.Tests.Integrations;

/// <summary>
/// The Firely SDK as an outside FHIR client would use it: the strict JSON deserializer (an unknown element or a wrong
/// primitive fails), then the profile validator against the R4 specification shipped in Hl7.Fhir.Specification.Data.R4
/// (cardinalities, types, invariants such as the Consent's policy rule, required bindings), offline.
/// </summary>
internal static class FhirR4
{
    private static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource()).AsAsync();
        return new Validator(resolver, LocalTerminologyService.CreateDefaultForCore(resolver));
    });

    private static readonly FhirJsonDeserializer Strict = new();

    /// <summary>Parses strictly and validates against R4; fails the test with the validator's words otherwise.</summary>
    public static T ParseValid<T>(string json) where T : R4.Resource
    {
        var resource = Strict.Deserialize<T>(json);
        ShouldBeValid(resource);
        if (resource is R4.Bundle bundle)
            foreach (var entry in bundle.Entry) ShouldBeValid(entry.Resource!);
        return resource;
    }

    public static void ShouldBeValid(R4.Resource resource)
    {
        var outcome = Validator.Value.Validate(resource);
        var errors = outcome.Issue
            .Where(i => i.Severity is R4.OperationOutcome.IssueSeverity.Error or R4.OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(",", i.Expression ?? [])}")
            .ToList();
        errors.ShouldBeEmpty();
    }
}
