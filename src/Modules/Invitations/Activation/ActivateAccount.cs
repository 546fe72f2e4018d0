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
    /// <summary>Dates of birth that did not match before the link closes and the provider is told.</summary>
    public const int MaximumFailedChecks = 3;

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

    /// <summary>What the client reads on a link closed after wrong dates of birth: what happened and what comes next.</summary>
    public static string BlockedMessage(string practiceName) =>
        $"We couldn't confirm your date of birth, so this link is closed. We've told {practiceName}; " +
        "they will send you a new invitation.";

    /// <summary>The practice to name when the token's invitation is blocked (not when it was replaced or used since).</summary>
    public static async Task<string?> BlockedPracticeAsync(IQuerySession session, string token)
    {
        var hash = SecretTokens.Hash(token);
        var invitation = await session.Query<Invitation>().FirstOrDefaultAsync(i => i.TokenHash == hash);
        if (invitation is not { IsBlocked: true }) return null;
        var client = await session.LoadAsync<InvitationsClient>(invitation.ClientId);
        return client is null ? null : PracticeNameOf(client);
    }

    private static string PracticeNameOf(InvitationsClient client) =>
        client.PracticeName is { Length: > 0 } name ? name : "your provider";

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
        // A contact's link is activated on the same page and endpoint, under the same rules.
        if (await Contacts.ActivateAsContact.FindAsync(session, request.Token) is { } contactInvitation)
            return await Contacts.ActivateAsContact.ActivateAsync(contactInvitation, request, http, session, clock);
        var now = clock.GetUtcNow();
        var (invitation, client) = await FindUsableAsync(session, request.Token, now);
        if (invitation is null || client is null)
        {
            var blocked = invitation is { IsBlocked: true };
            Audit.Record(session, http, clock, "account.activation", "Invitation", invitation?.Id.ToString(), invitation?.ClientId,
                blocked ? "link-blocked" : "link-not-usable");
            var practice = blocked ? await BlockedPracticeAsync(session, request.Token) : null;
            return (practice is null
                ? new Refusal(StatusCodes.Status410Gone, LinkNotUsableMessage)
                : new Refusal(StatusCodes.Status410Gone, BlockedMessage(practice)).With("code", "activation-blocked"), []);
        }

        if (client.DateOfBirth != request.DateOfBirth)
        {
            invitation.FailedChecks++;
            session.Store(invitation);
            if (invitation.FailedChecks < ActivateAccountEndpoint.MaximumFailedChecks)
            {
                Audit.Record(session, http, clock, "account.activation", "Invitation", invitation.Id.ToString(), client.Id, "details-mismatch");
                return (new Refusal(StatusCodes.Status400BadRequest, DetailsMessage), []);
            }

            // The last guess: the link closes (no more guesses, no fresh link from it) and the provider is told, who
            // can send a new invitation. The client reads what happened; nothing says which detail was wrong.
            invitation.BlockedAt = now;
            Audit.Record(session, http, clock, "account.activation", "Invitation", invitation.Id.ToString(), client.Id, "blocked");
            return (new Refusal(StatusCodes.Status410Gone, BlockedMessage(PracticeNameOf(client))).With("code", "activation-blocked"),
                [new ActivationBlocked(Guid.CreateVersion7(), client.Id, client.ProviderId, invitation.FailedChecks, now)]);
        }

        if (Passwords.Problem(request.Password, client.Email) is { } problem) return (Passwords.Refused(problem), []);

        var email = client.Email.Trim().ToLowerInvariant();
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ClientId == client.Id);
        var other = await session.Query<Account>().FirstOrDefaultAsync(a => a.Email == email && a.ClientId != client.Id);
        // A contact's login with this email (a parent who acts for a child) is the same person: their own record joins it,
        // once they prove it is theirs with its password.
        if (account is null && other is { Role: PortalRoles.Client, ClientId: null, Active: true })
        {
            if (!Passwords.Verify(other, request.Password))
                return (Refusal.Invalid("password", Contacts.ActivateAsContact.ExistingLoginMessage), []);
            other.ClientId = client.Id;
            other.DisplayName = client.DisplayName;
            other.FirstName = client.FirstName;
            session.Store(other);
            invitation.UsedAt = now;
            session.Store(invitation);
            Audit.Record(session, http, clock, "account.activation", "Account", other.Id.ToString(), client.Id, "activated-joined-login");
            return (new AccountActivated(other.Id, other.Email, "/signin"), [new ClientAccountStatusChanged(client.Id, true, now)]);
        }
        if (other is not null)
            return (Refusal.Conflict("Another account already uses this email address. Contact your provider."), []);

        account ??= new Account { Id = Guid.CreateVersion7(), Role = PortalRoles.Client, ClientId = client.Id, CreatedAt = now };
        account.Email = email;
        account.PracticeId = client.PracticeId;
        account.DisplayName = client.DisplayName;
        account.FirstName = client.FirstName;
        // An account a discharge closed opens again as a new one: a new password, and nothing of the old second
        // factor (the client sets it up again if they want it).
        if (account.IsClosed) account.Reopen();
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
