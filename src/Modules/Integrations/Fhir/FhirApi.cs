using System.Text.Json.Nodes;
using Portal.Integrations.ApiClients;
using Portal.Integrations.Roster;
using R4 = Hl7.Fhir.Model;

namespace Portal.Integrations.Fhir;

/// <summary>
/// The read-only FHIR R4 API under /fhir: read by id and search (by patient and _lastUpdated) for Patient, Coverage,
/// QuestionnaireResponse and Observation (PHQ-9, GAD-7), Consent (signed documents) and Task (requested tasks). The
/// client facts come from this module's own roster copy; the rest is asked of the module that holds it (Insurance,
/// Forms, Intake) through the queries in Contracts. Which records: the card rule on the copy, so an API client reads its
/// own practice only and anything else is a 404. Which resources: the scope gate (<see cref="ApiScopes.FhirResources"/>).
/// API clients' calls are audited by the gate with the client's id and the patient read; people's calls here.
/// </summary>
public static class FhirEndpoints
{
    private const string Json = FhirResponses.ContentType;

    [AllowAnonymous]
    [WolverineGet("/fhir/metadata")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    public static IResult Metadata(HttpContext http) => FhirResponses.Resource(FhirCapability.Statement(http));

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Patient/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static async Task<IResult> ReadPatient(string id, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var client = Guid.TryParse(id, out var clientId) ? await VisibleClientAsync(http, session, clientId) : null;
        if (client is null) return FhirResponses.NotFound("Patient", id);
        await AuditAsync(http, session, clock, "Patient", id, client.Id);
        return FhirResponses.Resource(FhirResources.Patient(client));
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Patient")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static async Task<IResult> SearchPatients(HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (search, refusal) = FhirSearch.Parse(http, patientSearch: true);
        if (refusal is not null) return refusal;
        var query = session.Query<IntegrationsClient>().VisibleTo(CurrentUser.From(http.User)!);
        if (search!.Id is { } id) query = query.Where(c => c.Id == id);
        var clients = await query.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).ToListAsync(http.RequestAborted);
        await AuditAsync(http, session, clock, "Patient", null, search.Id);
        return FhirResponses.Resource(FhirResources.SearchSet(http, "Patient",
            clients.Where(c => search.Matches(c.LastUpdated)).Select(FhirResources.Patient)));
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Coverage/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static async Task<IResult> ReadCoverage(string id, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var dash = id.LastIndexOf('-');
        var client = dash > 0 && Guid.TryParse(id[..dash], out var clientId) ? await VisibleClientAsync(http, session, clientId) : null;
        var coverage = client is null ? null : (await CoveragesAsync(client, bus, http)).FirstOrDefault(c => c.Id == id);
        if (coverage is null) return FhirResponses.NotFound("Coverage", id);
        await AuditAsync(http, session, clock, "Coverage", id, client!.Id);
        return FhirResponses.Resource(coverage);
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Coverage")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static Task<IResult> SearchCoverage(HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        SearchAsync(http, session, clock, "Coverage", client => CoveragesAsync(client, bus, http));

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/QuestionnaireResponse/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static Task<IResult> ReadQuestionnaireResponse(string id, HttpContext http, IDocumentSession session, IMessageBus bus,
        TimeProvider clock) =>
        ReadAssessmentAsync(id, "QuestionnaireResponse", http, session, bus, clock);

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/QuestionnaireResponse")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static Task<IResult> SearchQuestionnaireResponses(HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        SearchAsync(http, session, clock, "QuestionnaireResponse",
            async client => AssessmentResources("QuestionnaireResponse", await AssessmentsAsync(new(client.Id, null), bus, http)));

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Observation/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static Task<IResult> ReadObservation(string id, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        ReadAssessmentAsync(id, "Observation", http, session, bus, clock);

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Observation")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static Task<IResult> SearchObservations(HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        SearchAsync(http, session, clock, "Observation",
            async client => AssessmentResources("Observation", await AssessmentsAsync(new(client.Id, null), bus, http)));

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Consent/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static async Task<IResult> ReadConsent(string id, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var signature = Guid.TryParse(id, out var signatureId)
            ? (await bus.InvokeAsync<SignaturesAnswer>(new SignaturesQuery(null, signatureId), http.RequestAborted)).Signatures.SingleOrDefault()
            : null;
        var client = signature is null ? null : await VisibleClientAsync(http, session, signature.ClientId);
        if (client is null) return FhirResponses.NotFound("Consent", id);
        await AuditAsync(http, session, clock, "Consent", id, client.Id);
        return FhirResponses.Resource(FhirResources.Consent(signature!, client));
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Consent")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static Task<IResult> SearchConsents(HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        SearchAsync(http, session, clock, "Consent", async client =>
            (await bus.InvokeAsync<SignaturesAnswer>(new SignaturesQuery(client.Id, null), http.RequestAborted)).Signatures
            .Select(s => (R4.Resource)FhirResources.Consent(s, client)).ToList());

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Task/{id}")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status404NotFound, Json)]
    public static async Task<IResult> ReadTask(string id, HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        var task = Guid.TryParse(id, out var taskId)
            ? (await bus.InvokeAsync<RequestedTasksAnswer>(new RequestedTasksQuery(null, taskId), http.RequestAborted)).Tasks.SingleOrDefault()
            : null;
        var client = task is null ? null : await VisibleClientAsync(http, session, task.ClientId);
        if (client is null) return FhirResponses.NotFound("Task", id);
        await AuditAsync(http, session, clock, "Task", id, client.Id);
        return FhirResponses.Resource(FhirResources.Task(task!));
    }

    [Authorize(Policy = PortalPolicies.Provider)]
    [WolverineGet("/fhir/Task")]
    [ProducesResponseType<JsonObject>(StatusCodes.Status200OK, Json)]
    [ProducesResponseType<JsonObject>(StatusCodes.Status400BadRequest, Json)]
    public static Task<IResult> SearchTasks(HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
        SearchAsync(http, session, clock, "Task", async client =>
            (await bus.InvokeAsync<RequestedTasksAnswer>(new RequestedTasksQuery(client.Id, null), http.RequestAborted)).Tasks
            .Select(t => (R4.Resource)FhirResources.Task(t)).ToList());

    /// <summary>The client when the caller may see them (the card rule on this module's copy); null reads as a 404.</summary>
    private static async Task<IntegrationsClient?> VisibleClientAsync(HttpContext http, IQuerySession session, Guid clientId) =>
        await session.LoadAsync<IntegrationsClient>(clientId, http.RequestAborted) is { } client
        && CurrentUser.From(http.User) is { } user && client.IsVisibleTo(user)
            ? client
            : null;

    /// <summary>
    /// A search of one patient's resources: an unknown or unseen patient gives an empty bundle (the same answer as a
    /// patient with nothing), so a search tells nothing about another practice's ids.
    /// </summary>
    private static async Task<IResult> SearchAsync(HttpContext http, IDocumentSession session, TimeProvider clock, string type,
        Func<IntegrationsClient, Task<List<R4.Resource>>> resourcesOf)
    {
        var (search, refusal) = FhirSearch.Parse(http, patientSearch: false);
        if (refusal is not null) return refusal;
        var client = await VisibleClientAsync(http, session, search!.Patient!.Value);
        var resources = client is null ? [] : await resourcesOf(client);
        if (client is not null) await AuditAsync(http, session, clock, type, null, client.Id);
        return FhirResponses.Resource(FhirResources.SearchSet(http, type,
            resources.Where(r => search.Matches(r.Meta?.LastUpdated))));
    }

    private static async Task<List<R4.Resource>> CoveragesAsync(IntegrationsClient client, IMessageBus bus, HttpContext http) =>
        [.. (await bus.InvokeAsync<CoverageAnswer>(new CoverageQuery(client.Id), http.RequestAborted)).Plans
            .Select(plan => FhirResources.Coverage(plan, client.Id))];

    private static async Task<IReadOnlyList<AssessmentFacts>> AssessmentsAsync(AssessmentResultsQuery query, IMessageBus bus, HttpContext http) =>
        (await bus.InvokeAsync<AssessmentResultsAnswer>(query, http.RequestAborted)).Results;

    private static List<R4.Resource> AssessmentResources(string type, IEnumerable<AssessmentFacts> results) =>
        [.. results.Select(result => (result, codes: AssessmentCodes.Of(result.Instrument)))
            .Where(x => x.codes is not null)
            .Select(x => type == "Observation"
                ? (R4.Resource)FhirResources.Observation(x.result, x.codes!)
                : FhirResources.QuestionnaireResponse(x.result, x.codes!))];

    private static async Task<IResult> ReadAssessmentAsync(string id, string type, HttpContext http, IDocumentSession session, IMessageBus bus,
        TimeProvider clock)
    {
        var result = Guid.TryParse(id, out var resultId) ? (await AssessmentsAsync(new(null, resultId), bus, http)).SingleOrDefault() : null;
        var client = result is null ? null : await VisibleClientAsync(http, session, result.ClientId);
        var resource = client is null ? null : AssessmentResources(type, [result!]).SingleOrDefault();
        if (resource is null) return FhirResponses.NotFound(type, id);
        await AuditAsync(http, session, clock, type, id, client!.Id);
        return FhirResponses.Resource(resource);
    }

    /// <summary>
    /// The gate audits an API client's call with its id; it is told the patient here. A person's read is audited here.
    /// </summary>
    private static async Task AuditAsync(HttpContext http, IDocumentSession session, TimeProvider clock, string type, string? id,
        Guid? clientId)
    {
        if (clientId is not null) http.Items[ApiClientGate.AuditedClientItem] = clientId;
        if (CurrentUser.From(http.User) is { IsApiClient: true }) return;
        Audit.Record(session, http, clock, id is null ? $"fhir.search {type}" : $"fhir.read {type}", type, id, clientId);
        await session.SaveChangesAsync(http.RequestAborted);
    }
}
