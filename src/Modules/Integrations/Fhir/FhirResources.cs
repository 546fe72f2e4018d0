using Portal.Integrations.Roster;
using R4 = Hl7.Fhir.Model;

namespace Portal.Integrations.Fhir;

/// <summary>
/// The portal's facts as FHIR R4 resources (Firely POCOs). Ids are the portal's own ids (a coverage's is the client's
/// id and the plan's rank), references point at this server's Patient, and each resource's meta.lastUpdated is the
/// time the fact last changed, which is what _lastUpdated searches.
/// </summary>
internal static class FhirResources
{
    public const string Loinc = "http://loinc.org";

    public static string PatientRef(Guid clientId) => $"Patient/{clientId}";

    public static R4.Patient Patient(IntegrationsClient client) => new()
    {
        Id = client.Id.ToString(),
        Meta = Meta(client.LastUpdated),
        Active = !client.Discharged,
        Name = [new R4.HumanName { Use = R4.HumanName.NameUse.Official, Family = client.LastName, Given = [client.FirstName] }],
        Telecom = string.IsNullOrEmpty(client.Email)
            ? []
            : [new R4.ContactPoint(R4.ContactPoint.ContactPointSystem.Email, R4.ContactPoint.ContactPointUse.Home, client.Email)],
        BirthDate = client.DateOfBirth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ManagingOrganization = new R4.ResourceReference { Display = client.PracticeName },
    };

    public static string CoverageId(Guid clientId, PlanRank rank) => $"{clientId}-{rank.ToString().ToLowerInvariant()}";

    public static R4.Coverage Coverage(CoverageFacts plan, Guid clientId)
    {
        var coverage = new R4.Coverage
        {
            Id = CoverageId(clientId, plan.Rank),
            Meta = Meta(plan.LastUpdated),
            Status = R4.FinancialResourceStatusCodes.Active,
            Beneficiary = new R4.ResourceReference(PatientRef(clientId)),
            SubscriberId = plan.MemberId,
            Subscriber = plan.SubscriberIsClient
                ? new R4.ResourceReference(PatientRef(clientId))
                : new R4.ResourceReference { Display = plan.SubscriberName },
            Relationship = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                Relationship(plan)),
            Payor = [new R4.ResourceReference
            {
                Display = plan.PayerName,
                Identifier = new R4.Identifier("urn:portal:payer-id", plan.PayerId),
            }],
            Order = plan.Rank == PlanRank.Primary ? 1 : 2,
            Class = [new R4.Coverage.ClassComponent
            {
                Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                Value = plan.PlanName,
                Name = plan.PlanName,
            }],
        };
        if (!string.IsNullOrEmpty(plan.GroupNumber))
            coverage.Class.Add(new R4.Coverage.ClassComponent
            {
                Type = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "group"),
                Value = plan.GroupNumber,
            });
        return coverage;
    }

    /// <summary>The beneficiary's relationship to the plan holder (the claim form's answer).</summary>
    private static string Relationship(CoverageFacts plan) => plan.SubscriberIsClient ? "self" : plan.SubscriberRelationship switch
    {
        "spouse" => "spouse",
        "child" => "child",
        "domestic-partner" => "common",
        _ => "other",
    };

    public static R4.QuestionnaireResponse QuestionnaireResponse(AssessmentFacts result, AssessmentCodes codes)
    {
        var response = new R4.QuestionnaireResponse
        {
            Id = result.ResultId.ToString(),
            Meta = Meta(result.CompletedAt),
            Questionnaire = $"http://loinc.org/q/{codes.Panel}",
            Status = R4.QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = new R4.ResourceReference(PatientRef(result.ClientId)),
            Authored = result.CompletedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            Item = [],
        };
        for (var i = 0; i < result.Answers.Count && i < codes.Items.Count; i++)
        {
            var answer = result.Answers[i];
            response.Item.Add(new R4.QuestionnaireResponse.ItemComponent
            {
                LinkId = codes.Items[i].Code,
                Text = codes.Items[i].Display,
                Answer = [new R4.QuestionnaireResponse.AnswerComponent
                {
                    Value = new R4.Coding(Loinc, AssessmentCodes.AnswerCodes[answer].Code, AssessmentCodes.AnswerCodes[answer].Display),
                }],
            });
        }
        response.Item.Add(new R4.QuestionnaireResponse.ItemComponent
        {
            LinkId = codes.Total,
            Text = codes.TotalDisplay,
            Answer = [new R4.QuestionnaireResponse.AnswerComponent { Value = new R4.Integer(result.Score) }],
        });
        return response;
    }

    /// <summary>The total score, with the severity band as its interpretation, derived from the questionnaire response.</summary>
    public static R4.Observation Observation(AssessmentFacts result, AssessmentCodes codes) => new()
    {
        Id = result.ResultId.ToString(),
        Meta = Meta(result.CompletedAt),
        Status = R4.ObservationStatus.Final,
        Category = [new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey", null)],
        Code = new R4.CodeableConcept(Loinc, codes.Total, codes.TotalDisplay, codes.TotalDisplay),
        Subject = new R4.ResourceReference(PatientRef(result.ClientId)),
        Effective = new R4.FhirDateTime(result.CompletedAt),
        Issued = result.CompletedAt,
        Value = new R4.Integer(result.Score),
        Interpretation = [new R4.CodeableConcept { Text = result.Severity }],
        DerivedFrom = [new R4.ResourceReference($"QuestionnaireResponse/{result.ResultId}")],
        Note = [new R4.Annotation { Text = new R4.Markdown($"{codes.Name} total score, severity: {result.Severity}.") }],
    };

    /// <summary>A signed document: who signed which version, when, and the SHA-256 of exactly the copy signed.</summary>
    public static R4.Consent Consent(SignatureFacts signature, IntegrationsClient client) => new()
    {
        Id = signature.SignatureId.ToString(),
        Meta = Meta(signature.SignedAt),
        Status = R4.Consent.ConsentState.Active,
        Scope = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", "Treatment", null),
        Category = [new R4.CodeableConcept(Loinc, "59284-0", "Consent Document", null)],
        Patient = new R4.ResourceReference(PatientRef(signature.ClientId)),
        DateTime = signature.SignedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        Organization = [new R4.ResourceReference { Display = client.PracticeName }],
        PolicyRule = new R4.CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in", null),
        Identifier = [new R4.Identifier(SignedCopyHashSystem, signature.ContentHash.ToLowerInvariant())],
        Source = new R4.Attachment
        {
            ContentType = "text/html",
            Title = $"{signature.DocumentTitle} (version {signature.DocumentVersion})",
            Creation = signature.SignedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    /// <summary>The identifier system of a Consent's signed-copy hash: SHA-256, lower-case hex, of the HTML signed.</summary>
    public const string SignedCopyHashSystem = "urn:portal:signed-copy-sha256";

    public static R4.Task Task(RequestedTaskFacts task)
    {
        var resource = new R4.Task
        {
            Id = task.TaskId.ToString(),
            Meta = Meta(task.LastUpdated),
            GroupIdentifier = new R4.Identifier("urn:ietf:rfc:3986", $"urn:uuid:{task.AssignmentId}"),
            Status = task.Outcome switch
            {
                TaskOutcome.Completed => R4.Task.TaskStatus.Completed,
                TaskOutcome.Skipped or TaskOutcome.Cancelled or TaskOutcome.NotNeeded => R4.Task.TaskStatus.Cancelled,
                _ => R4.Task.TaskStatus.Requested,
            },
            Intent = R4.Task.TaskIntent.Order,
            Code = new R4.CodeableConcept("urn:portal:task-kind", task.Kind.ToString(), KindText(task.Kind), KindText(task.Kind)),
            Description = task.Title,
            For = new R4.ResourceReference(PatientRef(task.ClientId)),
            AuthoredOn = task.RequestedAt.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            LastModified = task.LastUpdated.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (task.Outcome is TaskOutcome.Skipped) resource.StatusReason = new R4.CodeableConcept { Text = "Skipped by the practice." };
        if (task.Outcome is TaskOutcome.Cancelled) resource.StatusReason = new R4.CodeableConcept { Text = "The assignment was cancelled." };
        if (task.Outcome is TaskOutcome.NotNeeded) resource.StatusReason = new R4.CodeableConcept { Text = "Not needed any more." };
        if (task.DueAt is { } due)
            resource.Restriction = new R4.Task.RestrictionComponent { Period = new R4.Period { End = due.ToString("o", System.Globalization.CultureInfo.InvariantCulture) } };
        return resource;
    }

    private static string KindText(TaskKind kind) => kind switch
    {
        TaskKind.AddInsurance => "Add insurance",
        TaskKind.EnrollInAutopay => "Set up autopay",
        TaskKind.SignDocument => "Sign a document",
        TaskKind.CompleteIntakeForm => "Complete an intake form",
        TaskKind.CompleteAssessment => "Complete an assessment",
        _ => kind.ToString(),
    };

    public static R4.Bundle SearchSet(HttpContext http, string type, IEnumerable<R4.Resource> resources)
    {
        var list = resources.ToList();
        var bundle = new R4.Bundle
        {
            Type = R4.Bundle.BundleType.Searchset,
            Total = list.Count,
            Link = [new R4.Bundle.LinkComponent { Relation = "self", Url = $"{BaseUrl(http)}/{type}{http.Request.QueryString}" }],
        };
        foreach (var resource in list)
            bundle.Entry.Add(new R4.Bundle.EntryComponent
            {
                FullUrl = $"{BaseUrl(http)}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new R4.Bundle.SearchComponent { Mode = R4.Bundle.SearchEntryMode.Match },
            });
        return bundle;
    }

    public static string BaseUrl(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/fhir";

    private static R4.Meta? Meta(DateTimeOffset? lastUpdated) => lastUpdated is { } at ? new R4.Meta { LastUpdated = at } : null;
}

/// <summary>The LOINC codes of one instrument: its panel, its items (in the portal's order), its total score.</summary>
internal sealed record AssessmentCodes(string Name, string Panel, string Total, string TotalDisplay, IReadOnlyList<(string Code, string Display)> Items)
{
    public static readonly IReadOnlyList<(string Code, string Display)> AnswerCodes =
    [
        ("LA6568-5", "Not at all"), ("LA6569-3", "Several days"), ("LA6570-1", "More than half the days"), ("LA6571-9", "Nearly every day"),
    ];

    public static readonly AssessmentCodes Phq9 = new("PHQ-9", "44249-1", "44261-6", "PHQ-9 total score",
    [
        ("44250-9", "Little interest or pleasure in doing things"),
        ("44255-8", "Feeling down, depressed, or hopeless"),
        ("44259-0", "Trouble falling or staying asleep, or sleeping too much"),
        ("44254-1", "Feeling tired or having little energy"),
        ("44251-7", "Poor appetite or overeating"),
        ("44258-2", "Feeling bad about yourself - or that you are a failure or have let yourself or your family down"),
        ("44252-5", "Trouble concentrating on things, such as reading the newspaper or watching television"),
        ("44253-3", "Moving or speaking so slowly that other people could have noticed, or the opposite"),
        ("44260-8", "Thoughts that you would be better off dead, or of hurting yourself in some way"),
    ]);

    public static readonly AssessmentCodes Gad7 = new("GAD-7", "69737-5", "70274-6", "GAD-7 total score",
    [
        ("69725-0", "Feeling nervous, anxious or on edge"),
        ("68509-9", "Not being able to stop or control worrying"),
        ("69733-4", "Worrying too much about different things"),
        ("69734-2", "Trouble relaxing"),
        ("69735-9", "Being so restless that it is hard to sit still"),
        ("69689-8", "Becoming easily annoyed or irritable"),
        ("69736-7", "Feeling afraid as if something awful might happen"),
    ]);

    /// <summary>The codes of an instrument ("phq9", "gad7"); null for one that has no LOINC mapping here.</summary>
    public static AssessmentCodes? Of(string instrument) => instrument.ToLowerInvariant() switch
    {
        "phq9" or "phq-9" => Phq9,
        "gad7" or "gad-7" => Gad7,
        _ => null,
    };
}
