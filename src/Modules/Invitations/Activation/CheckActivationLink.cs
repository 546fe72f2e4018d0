using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Activation;

/// <summary>Whether an activation link can still be used (the activation page asks before showing the form).</summary>
public sealed record CheckActivationLinkRequest(string Token);

public sealed record ActivationLinkStatus(bool Usable, string? FirstName, string? PracticeName, DateTimeOffset? ExpiresAt);

internal sealed class CheckActivationLinkValidator : AbstractValidator<CheckActivationLinkRequest>
{
    public CheckActivationLinkValidator() => RuleFor(r => r.Token).LinkToken();
}

public static class CheckActivationLinkEndpoint
{
    [WolverinePost("/api/account/activation/check")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<IResult> Post(CheckActivationLinkRequest request, IQuerySession session, TimeProvider clock)
    {
        var status = await CheckAsync(session, request.Token, clock);
        return status.Usable ? Results.Ok(status) : Results.Problem(statusCode: 410, title: ActivationFlow.LinkNotUsableMessage);
    }

    public static async Task<ActivationLinkStatus> CheckAsync(IQuerySession session, string token, TimeProvider clock)
    {
        var (invitation, client) = await ActivationFlow.FindUsableAsync(session, token, clock.GetUtcNow());
        return invitation is null || client is null
            ? new ActivationLinkStatus(false, null, null, null)
            : new ActivationLinkStatus(true, client.FirstName, client.PracticeName, invitation.ExpiresAt);
    }
}
