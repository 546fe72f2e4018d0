using System.Text;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Builder;
using R4 = Hl7.Fhir.Model;

namespace Portal.Integrations.Fhir;

/// <summary>
/// How /fhir answers: resources as <c>application/fhir+json</c> (JSON only: asking for XML or Turtle is a 406), and
/// every error, whoever produced it (routing, authentication, the scope gate, the rate limiter, an endpoint), as an
/// OperationOutcome instead of problem details.
/// </summary>
internal static class FhirResponses
{
    public const string ContentType = "application/fhir+json";
    private const string DiagnosticsItem = "portal.fhir.diagnostics";

    private static readonly string[] JsonTypes = [ContentType, "application/json", "application/*", "*/*", "application/json+fhir"];
    private static readonly string[] JsonFormats = ["json", ContentType, "application/json"];

    /// <summary>The other FHIR formats: asked for one of these (and no JSON), the answer is a 406, not JSON anyway.</summary>
    private static readonly string[] OtherFhirTypes =
        ["application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir", "application/fhir+turtle", "text/turtle"];

    public static bool IsFhir(HttpContext http) => http.Request.Path.StartsWithSegments("/fhir");

    /// <summary>Before the rest of the pipeline: the JSON-only rule. After it: an OperationOutcome for a bare error.</summary>
    public static IApplicationBuilder UseFhirResponses(this IApplicationBuilder app) =>
        app.UseWhen(IsFhir, fhir => fhir.Use(async (http, next) =>
        {
            if (NotJson(http) is { } asked)
            {
                await Outcome(StatusCodes.Status406NotAcceptable, "not-supported",
                    $"This server speaks FHIR JSON only ({ContentType}); it was asked for {asked}.").ExecuteAsync(http);
                return;
            }
            await next(http);
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted)
            {
                var diagnostics = http.Items[DiagnosticsItem] as string;
                await Outcome(http.Response.StatusCode, IssueCode(http.Response.StatusCode),
                    diagnostics ?? DefaultText(http.Response.StatusCode)).ExecuteAsync(http);
            }
        }));

    /// <summary>A refusal outside an endpoint (the scope gate): an OperationOutcome under /fhir, problem details elsewhere.</summary>
    public static Task RefuseAsync(HttpContext http, int status, string title, string detail) =>
        IsFhir(http)
            ? Outcome(status, IssueCode(status), $"{title} {detail}").ExecuteAsync(http)
            : Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(http);

    public static IResult Resource(R4.Resource resource) => new FhirResult(resource, StatusCodes.Status200OK);

    public static IResult NotFound(string type, string id) =>
        Outcome(StatusCodes.Status404NotFound, "not-found", $"{type}/{id} is not known.");

    /// <summary>400 naming the search parameter that is wrong.</summary>
    public static IResult BadParameter(string parameter, string message) =>
        Outcome(StatusCodes.Status400BadRequest, "invalid", $"Search parameter '{parameter}': {message}", parameter);

    public static IResult Outcome(int status, string code, string diagnostics, string? parameter = null)
    {
        var issue = new R4.OperationOutcome.IssueComponent
        {
            Severity = R4.OperationOutcome.IssueSeverity.Error,
            Code = code switch
            {
                "invalid" => R4.OperationOutcome.IssueType.Invalid,
                "login" => R4.OperationOutcome.IssueType.Login,
                "forbidden" => R4.OperationOutcome.IssueType.Forbidden,
                "not-found" => R4.OperationOutcome.IssueType.NotFound,
                "not-supported" => R4.OperationOutcome.IssueType.NotSupported,
                "throttled" => R4.OperationOutcome.IssueType.Throttled,
                "exception" => R4.OperationOutcome.IssueType.Exception,
                _ => R4.OperationOutcome.IssueType.Processing,
            },
            Diagnostics = diagnostics,
        };
        if (parameter is not null) issue.Details = new R4.CodeableConcept { Text = parameter };
        return new FhirResult(new R4.OperationOutcome { Issue = [issue] }, status);
    }

    private static string? NotJson(HttpContext http)
    {
        var format = http.Request.Query["_format"].ToString();
        if (format.Length > 0 && !JsonFormats.Any(f => format.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
            return $"_format={format}";
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length == 0) return null;
        var types = accept.Split(',').Select(t => t.Split(';')[0].Trim()).ToList();
        return types.Any(t => OtherFhirTypes.Contains(t, StringComparer.OrdinalIgnoreCase))
               && !types.Any(t => JsonTypes.Contains(t, StringComparer.OrdinalIgnoreCase))
            ? accept
            : null;
    }

    private static string IssueCode(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid",
        StatusCodes.Status401Unauthorized => "login",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed or StatusCodes.Status406NotAcceptable => "not-supported",
        StatusCodes.Status429TooManyRequests => "throttled",
        _ => status >= 500 ? "exception" : "processing",
    };

    private static string DefaultText(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "A bearer token from /connect/token is needed.",
        StatusCodes.Status403Forbidden => "Not allowed for this caller.",
        StatusCodes.Status404NotFound => "No such resource or interaction.",
        StatusCodes.Status405MethodNotAllowed => "This server is read-only.",
        StatusCodes.Status429TooManyRequests => "Too many requests for this client; try again in a minute.",
        _ => $"The request failed ({status}).",
    };

    /// <summary>A resource written with the Firely serializer, so what goes out is what the SDK reads back.</summary>
    private sealed class FhirResult(R4.Resource resource, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = ContentType + "; charset=utf-8";
            await http.Response.WriteAsync(resource.ToJson(), Encoding.UTF8, http.RequestAborted);
        }
    }
}
