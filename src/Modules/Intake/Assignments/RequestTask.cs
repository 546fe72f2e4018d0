using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Wolverine;
using Wolverine.Http;

namespace Portal.Intake.Assignments;

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
        var card = await AssignmentAccess.VisibleClientAsync(session, clientId, principal, cancellation);
        if (card is null) return AssignmentAccess.NotFound("client");

        var user = CurrentUser.From(principal)!;
        var workflow = request.AsWorkflow("Request");
        var unknown = await WorkflowSubjects.FindUnknownAsync(session, workflow, card.PracticeId, cancellation);
        if (unknown.Count > 0)
            return Results.ValidationProblem(unknown.ToDictionary(e => e.Key.Replace("stages[0].tasks[0].", string.Empty, StringComparison.Ordinal), e => e.Value),
                title: "The request names something that does not exist.", instance: http.Request.Path);

        var title = await WorkflowSubjects.TitleForAsync(session, workflow.Stages[0].Tasks[0], cancellation);
        var started = await StartAssignments.StartAsync(session, bus, [card], request.AsWorkflow(title), null, null,
            user.AsActor(), clock.GetUtcNow(), cancellation);
        var assignmentId = started[0].AssignmentId;
        Audit.Record(session, http, clock, "intake.request.create", nameof(IntakeAssignment), assignmentId.ToString(), clientId);
        return Results.Created($"/api/assignments/{assignmentId}", new RequestTaskResponse(assignmentId, clientId));
    }
}
