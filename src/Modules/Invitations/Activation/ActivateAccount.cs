using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Activation;

/// <summary>The client opens the invitation link, proves who they are with their date of birth and sets a password.</summary>
public sealed record ActivateAccountRequest(string Token, DateOnly DateOfBirth, string Password);

internal sealed record AccountActivated(Guid AccountId, string Email, string SignInAt);

internal sealed class ActivateAccountValidator : AbstractValidator<ActivateAccountRequest>
{
    public ActivateAccountValidator()
    {
        RuleFor(r => r.Token).LinkToken();
        RuleFor(r => r.Password).AcceptablePassword();
    }
}

public static class ActivateAccountEndpoint
{
    public const int MaximumFailedChecks = 5;

    [WolverinePost("/api/account/activate")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(
        ActivateAccountRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ActivationFlow.ActivateAsync(request, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ActivationFlow
{
    public const string LinkNotUsableMessage = "This activation link has expired or was already used. You can ask for a fresh link.";
    public const string DetailsMessage = "The details don't match what your provider has on file.";

    /// <summary>The invitation a token belongs to, when it can still be used.</summary>
    public static async Task<(Invitation? Invitation, InvitationsClient? Client)> FindUsableAsync(
        IQuerySession session, string token, DateTimeOffset now)
    {
        var hash = SecretTokens.Hash(token);
        var invitation = await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash);
        if (invitation is null || !invitation.IsPending(now) || invitation.FailedChecks >= ActivateAccountEndpoint.MaximumFailedChecks)
            return (invitation, null);
        var client = await session.LoadAsync<InvitationsClient>(invitation.ClientId);
        return client is { Eligible: true } ? (invitation, client) : (invitation, null);
    }

    public static async Task<(Outcome<AccountActivated>, OutgoingMessages)> ActivateAsync(ActivateAccountRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var (invitation, client) = await FindUsableAsync(session, request.Token, now);
        if (invitation is null || client is null)
        {
            Audit.Record(
                session, http, clock, "account.activation", "Invitation", invitation?.Id.ToString(), invitation?.ClientId, "link-not-usable");
            return (new Refusal(StatusCodes.Status410Gone, LinkNotUsableMessage), []);
        }

        if (client.DateOfBirth != request.DateOfBirth)
        {
            invitation.FailedChecks++;
            session.Store(invitation);
            Audit.Record(session, http, clock, "account.activation", "Invitation", invitation.Id.ToString(), client.Id, "details-mismatch");
            return (new Refusal(StatusCodes.Status400BadRequest, DetailsMessage), []);
        }

        if (Passwords.Problem(request.Password, client.Email) is { } problem) return (Passwords.Refused(problem), []);

        var email = client.Email.Trim().ToLowerInvariant();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == client.Id);
        if (await session.Query<Account>().AnyAsync(a => a.Email == email && a.ClientId != client.Id))
            return (Refusal.Conflict("Another account already uses this email address. Contact your provider."), []);

        account ??= new Account { Id = Guid.CreateVersion7(), Role = PortalRoles.Client, ClientId = client.Id, CreatedAt = now };
        account.Email = email;
        account.PracticeId = client.PracticeId;
        account.DisplayName = client.DisplayName;
        account.FirstName = client.FirstName;
        account.PasswordHash = Passwords.Hash(account, request.Password);
        account.Active = true;
        account.ActivatedAt = now;
        var lockEnded = account.ClearLock(now);
        session.Store(account);

        invitation.UsedAt = now;
        session.Store(invitation);
        Audit.Record(session, http, clock, "account.activation", "Account", account.Id.ToString(), client.Id, "activated");
        return (new AccountActivated(account.Id, account.Email, "/signin"),
            lockEnded is null
                ? [new ClientAccountStatusChanged(client.Id, true, now)]
                : [new ClientAccountStatusChanged(client.Id, true, now), lockEnded]);
    }
}
