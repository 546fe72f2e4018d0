using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.PasswordReset;

/// <summary>
/// "Forgot password": the same 202 answer for every email; an account that can sign in (or a provider's account still
/// waiting for its first password) gets an emailed single-use link valid 30 minutes. Using it also unlocks the account.
/// </summary>
public sealed record RequestPasswordResetRequest(string Email);

internal sealed class RequestPasswordResetValidator : AbstractValidator<RequestPasswordResetRequest>
{
    public RequestPasswordResetValidator() => RuleFor(r => r.Email).NotEmpty().MaximumLength(254);
}

public static class RequestPasswordResetEndpoint
{
    public const string Answer = "If an account uses this email, a link to choose a new password is on its way. It works once, for 30 minutes.";
    public static readonly TimeSpan ValidFor = TimeSpan.FromMinutes(30);

    [WolverinePost("/api/account/password-reset")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(RequestPasswordResetRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IDataProtectionProvider protection, IConfiguration configuration)
    {
        var messages = await RequestAsync(request.Email, http, session, clock, protection, configuration);
        return (Results.Accepted(value: new { message = Answer }), messages);
    }

    internal static async Task<OutgoingMessages> RequestAsync(string email, HttpContext http, IDocumentSession session, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration)
    {
        email = email.Trim().ToLowerInvariant();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.Email == email);
        if (!AuthRateLimits.EmailRequests.AttemptAcquire("reset|" + email, 1).IsAcquired) return [];
        if (account is null || !(account.Active || account.Role == PortalRoles.Provider)) return [];

        var now = clock.GetUtcNow();
        var token = SecretTokens.New();
        var ticket = new PasswordResetTicket
        {
            Id = Guid.CreateVersion7(),
            AccountId = account.Id,
            TokenHash = SecretTokens.Hash(token),
            RequestedAt = now,
            ExpiresAt = now + ValidFor,
        };
        session.Store(ticket);
        Audit.Record(session, http, clock, "account.password-reset-requested", "Account", account.Id.ToString(), account.ClientId);
        var link = SecretLinks.Create(protection, configuration, $"/reset-password?token={token}");
        return [new PasswordResetEmailRequested(ticket.Id, account.Email, account.FirstName, link, ticket.ExpiresAt)];
    }
}
