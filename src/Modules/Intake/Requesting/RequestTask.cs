using System.Text.Json.Serialization;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Intake.Requesting;

/// <summary>A one-off request ("please add your insurance"): an assignment of one task.</summary>
public sealed record RequestTaskRequest(
    [property: JsonConverter(typeof(JsonStringEnumConverter<TaskKind>))] TaskKind? Kind,
    string? SubjectId = null,
    string? Title = null,
    int? DueInDays = null,
    int? RemindEveryDays = null,
    int MaxReminders = 0)
{
    internal WorkflowContent AsWorkflow(string name) =>
        new(name, [new StageSpec("Request",
            [new TaskSpec("request", Kind ?? TaskKind.AddInsurance, SubjectId, Title, DueInDays, RemindEveryDays, MaxReminders)])]);
}

internal sealed class RequestTaskValidator : AbstractValidator<RequestTaskRequest>
{
    public RequestTaskValidator()
    {
        RuleFor(r => r.Kind).NotNull().WithMessage("Say what to request (kind).");
        // The same rules as a task of a workflow; errors are reported under the request's own field names.
        RuleFor(r => r).Custom((request, context) =>
        {
            var result = new WorkflowContentValidator().Validate(request.AsWorkflow("Request"));
            foreach (var failure in result.Errors)
                context.AddFailure(failure.PropertyName.Replace("Stages[0].Tasks[0].", string.Empty, StringComparison.Ordinal), failure.ErrorMessage);
        });
    }
}

internal sealed record RequestTaskResponse(Guid AssignmentId, Guid ClientId);

/// <summary>The one-task assignment started, and the title the client sees.</summary>
internal sealed record RequestedTask(Guid AssignmentId, Guid ClientId, string Title);

public static class RequestTaskEndpoint
{
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<RequestTaskResponse>(StatusCodes.Status201Created)]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>(
        StatusCodes.Status400BadRequest, "application/problem+json")]
    [Microsoft.AspNetCore.Mvc.ProducesResponseType<Microsoft.AspNetCore.Mvc.ProblemDetails>(
        StatusCodes.Status404NotFound, "application/problem+json")]
    [WolverinePost("/api/clients/{clientId}/requests"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Post(Guid clientId, RequestTaskRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation) =>
        (await RequestAsync(clientId, request, http, session, bus, clock, cancellation)).ToResult(http,
            requested => Results.Created($"/api/assignments/{requested.AssignmentId}",
                new RequestTaskResponse(requested.AssignmentId, requested.ClientId)));

    /// <summary>
    /// Starts the one-task assignment (the console's request page calls this too): 404 when the client is not the
    /// caller's to ask, 409 when the client was discharged, 400 naming the field when the request names something unknown.
    /// </summary>
    internal static async Task<Outcome<RequestedTask>> RequestAsync(Guid clientId, RequestTaskRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var card = await AssignmentAccess.ClientToAskAsync(session, clientId, http.User, cancellation);
        if (card is null) return Refusal.NotFound("client");
        if (AssignmentAccess.NoNewWorkForDischarged([card]) is { } discharged) return discharged;

        var workflow = request.AsWorkflow("Request");
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, workflow, card.PracticeId, cancellation);
        if (unknown.Count > 0)
            return Refusal.Invalid(
                unknown.ToDictionary(e => e.Key.Replace("stages[0].tasks[0].", string.Empty, StringComparison.Ordinal), e => e.Value),
                "The request names something that does not exist.");

        var title = await WorkflowSubjects.TitleForAsync(session, workflow.Stages[0].Tasks[0], cancellation);
        var started = await StartAssignments.StartAsync(session, bus,
            new NewAssignments([card], request.AsWorkflow(title), CurrentUser.From(http.User)!.AsActor(), clock.GetUtcNow()), cancellation);
        var assignmentId = started[0].AssignmentId;
        Audit.Record(session, http, clock, "intake.request.create", nameof(IntakeAssignment), assignmentId.ToString(), clientId);
        return Outcome<RequestedTask>.Ok(new RequestedTask(assignmentId, clientId, title), StatusCodes.Status201Created);
    }
}
