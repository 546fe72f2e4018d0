using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Activation;

/// <summary>Whether an activation link can still be used (the activation page asks before showing the form).</summary>
public sealed record CheckActivationLinkRequest(string Token);

/// <summary><see cref="BlockedMessage"/>: the link was closed after wrong dates of birth, and what happens next.</summary>
public sealed record ActivationLinkStatus(bool Usable, string? FirstName, string? PracticeName, DateTimeOffset? ExpiresAt,
    string? BlockedMessage = null)
{
    /// <summary>For a contact's link: the first name of the client they will act for (whose date of birth they give).</summary>
    public string? ActingFor { get; init; }

    /// <summary>For a contact's link: their email already has a login, whose password adds the record to it.</summary>
    public bool HasLogin { get; init; }
}

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
        return status.Usable
            ? Results.Ok(status)
            : Results.Problem(statusCode: 410, title: status.BlockedMessage ?? ActivationFlow.LinkNotUsableMessage);
    }

    public static async Task<ActivationLinkStatus> CheckAsync(IQuerySession session, string token, TimeProvider clock)
    {
        if (await Contacts.ActivateAsContact.FindAsync(session, token) is { } contactInvitation)
            return await Contacts.ActivateAsContact.CheckAsync(session, contactInvitation, clock.GetUtcNow());
        var (invitation, client) = await ActivationFlow.FindUsableAsync(session, token, clock.GetUtcNow());
        if (invitation is null || client is null)
        {
            return await ActivationFlow.BlockedPracticeAsync(session, token) is { } practice
                ? new ActivationLinkStatus(false, null, null, null, ActivationFlow.BlockedMessage(practice))
                : new ActivationLinkStatus(false, null, null, null);
        }
        return new ActivationLinkStatus(true, client.FirstName, client.PracticeName, invitation.ExpiresAt);
    }
}
