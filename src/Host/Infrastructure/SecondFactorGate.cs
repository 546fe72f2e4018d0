using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.WebUtilities;
using Portal.BuildingBlocks.Security;

namespace Portal.Host.Infrastructure;

/// <summary>
/// The second-factor gate, a requirement of every named policy: staff (and clients whose practice requires it) pass
/// only once their session proved a second factor (<see cref="SecondFactor"/>). Enrolment, sign-out, step-up and
/// "who am I" name no policy, so they stay open to reach the factor.
/// </summary>
internal sealed class SecondFactorRequirement : IAuthorizationRequirement
{
    public static readonly SecondFactorRequirement Instance = new();
}

internal sealed class SecondFactorHandler : AuthorizationHandler<SecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorRequirement requirement)
    {
        if (CurrentUser.From(context.User) is { } user && SecondFactor.Satisfies(user)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>
/// When the gate is the only reason a request is refused, the answer says what to do: an API caller gets 403
/// problem+json with <c>secondFactorRequired</c>, a page request goes to enrolment and comes back afterwards. Any
/// other refusal (the wrong role as well as no factor) is answered as before.
/// </summary>
internal sealed class SecondFactorGateResults : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure is { } failure && !failure.FailCalled
            && failure.FailedRequirements.Any() && failure.FailedRequirements.All(r => r is SecondFactorRequirement))
        {
            context.Items[AuditTrail.RefusedItem] = StatusCodes.Status403Forbidden;
            // FHIR answers its own way: a bare 403 that its middleware turns into an OperationOutcome.
            if (context.Request.Path.StartsWithSegments("/fhir"))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await SecondFactor.GateRefusal().ToProblem(context).ExecuteAsync(context);
                return;
            }
            var back = context.Request.Path + context.Request.QueryString;
            context.Response.Redirect(HttpMethods.IsGet(context.Request.Method)
                ? QueryHelpers.AddQueryString(SecondFactor.EnrolPath, "returnUrl", back)
                : SecondFactor.EnrolPath);
            return;
        }
        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
