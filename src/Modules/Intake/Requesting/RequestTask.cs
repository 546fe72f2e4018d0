using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Intake.Assignments;
using Wolverine;
using Wolverine.Http;
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
        new(name, [new StageSpec("Request", [new TaskSpec("request", Kind ?? TaskKind.AddInsurance, SubjectId, Title, DueInDays, RemindEveryDays, MaxReminders)])]);
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

public static class RequestTaskEndpoint
{
    [WolverinePost("/api/clients/{clientId}/requests"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid clientId, RequestTaskRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var outcome = await ExecuteAsync(clientId, request, http, session, bus, clock, cancellation);
        if (outcome is null) return AssignmentAccess.NotFound("client");
        if (outcome.Errors is { } errors)
            return Results.ValidationProblem(errors, title: "The request names something that does not exist.", instance: http.Request.Path);
        return Results.Created($"/api/assignments/{outcome.AssignmentId}", new RequestTaskResponse(outcome.AssignmentId, clientId));
    }

    /// <summary>
    /// Starts the one-task assignment (the console's request page calls this too). Null when the client is not the
    /// caller's to ask (404); <see cref="RequestOutcome.Errors"/> when the request names something unknown.
    /// </summary>
    internal static async Task<RequestOutcome?> ExecuteAsync(Guid clientId, RequestTaskRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var card = await AssignmentAccess.VisibleClientAsync(session, clientId, http.User, cancellation);
        if (card is null) return null;

        var user = CurrentUser.From(http.User)!;
        var workflow = request.AsWorkflow("Request");
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, workflow, card.PracticeId, cancellation);
        if (unknown.Count > 0)
            return new RequestOutcome(Guid.Empty, string.Empty,
                unknown.ToDictionary(e => e.Key.Replace("stages[0].tasks[0].", string.Empty, StringComparison.Ordinal), e => e.Value));

        var title = await WorkflowSubjects.TitleForAsync(session, workflow.Stages[0].Tasks[0], cancellation);
        var started = await StartAssignments.StartAsync(session, bus, [card], request.AsWorkflow(title), null, null,
            user.AsActor(), clock.GetUtcNow(), cancellation);
        var assignmentId = started[0].AssignmentId;
        Audit.Record(session, http, clock, "intake.request.create", nameof(IntakeAssignment), assignmentId.ToString(), clientId);
        return new RequestOutcome(assignmentId, title, null);
    }
}

internal sealed record RequestOutcome(Guid AssignmentId, string Title, Dictionary<string, string[]>? Errors);
