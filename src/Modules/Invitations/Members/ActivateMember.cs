using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Members;

/// <summary>
/// The member opens the invitation link and chooses a password. Holding the link to their work email proves them (no
/// date of birth, unlike a client); the account becomes active and they are signed in, landing on the console.
/// </summary>
public sealed record ActivateMemberRequest(string Token, string Password);

internal sealed record MemberActivated(Guid AccountId, string Email, string RedirectTo);

internal sealed class ActivateMemberValidator : AbstractValidator<ActivateMemberRequest>
{
    public ActivateMemberValidator()
    {
        RuleFor(r => r.Token).LinkToken();
        RuleFor(r => r.Password).AcceptablePassword();
    }
}

/// <summary>The member's link before the form: who invited them, as what, until when; or that it cannot be used.</summary>
public sealed record CheckMemberLinkRequest(string Token);

public sealed record MemberLinkStatus(bool Usable, string? FirstName, string? PracticeName, string? Role, DateTimeOffset? ExpiresAt);

internal sealed class CheckMemberLinkValidator : AbstractValidator<CheckMemberLinkRequest>
{
    public CheckMemberLinkValidator() => RuleFor(r => r.Token).LinkToken();
}

public static class ActivateMemberEndpoint
{
    [WolverinePost("/api/account/member-activation")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<(IResult, OutgoingMessages)> Post(ActivateMemberRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var (outcome, messages) = await MemberActivation.ActivateAsync(request, http, session, clock);
        return (outcome.ToResult(http), messages);
    }

    [WolverinePost("/api/account/member-activation/check")]
    [AllowAnonymous]
    [EnableRateLimiting(AuthRateLimits.Policy)]
    public static async Task<IResult> Check(CheckMemberLinkRequest request, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        var status = await MemberActivation.CheckAsync(session, request.Token, clock, http.RequestAborted);
        return status.Usable ? Results.Ok(status) : Results.Problem(statusCode: 410, title: MemberActivation.LinkNotUsableMessage);
    }
}

internal static class MemberActivation
{
    public const string LinkNotUsableMessage =
        "This invitation link has expired or was already used. You can ask for a fresh link, or sign in if you have activated already.";

    public static async Task<MemberLinkStatus> CheckAsync(IQuerySession session, string token, TimeProvider clock, CancellationToken cancellation)
    {
        var invitation = await MemberInvitations.FindAsync(session, token, cancellation);
        if (invitation is null || !invitation.IsPending(clock.GetUtcNow())) return new MemberLinkStatus(false, null, null, null, null);
        var card = await session.LoadAsync<InvitationsProvider>(invitation.ProviderId, cancellation);
        if (card is { Active: false }) return new MemberLinkStatus(false, null, null, null, null);
        return new MemberLinkStatus(true, invitation.FirstName, invitation.PracticeName, MemberInvitations.RoleWords(card?.Role ?? invitation.Role),
            invitation.ExpiresAt);
    }

    public static async Task<(Outcome<MemberActivated>, OutgoingMessages)> ActivateAsync(ActivateMemberRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var cancellation = http.RequestAborted;
        var found = await MemberInvitations.FindAsync(session, request.Token, cancellation);
        // Under the member's lock and read again: two tabs using one link cannot both activate with it.
        if (found is not null) await MemberInvitations.LockMemberAsync(session, found.ProviderId, cancellation);
        var invitation = found is null ? null : await session.Query<MemberInvitation>().FirstOrDefaultAsync(i => i.Id == found.Id, cancellation);
        var card = invitation is null ? null : await session.LoadAsync<InvitationsProvider>(invitation.ProviderId, cancellation);
        var account = invitation is null ? null
            : await session.Query<Account>().FirstOrDefaultAsync(a => a.ProviderId == invitation.ProviderId, cancellation);
        if (invitation is null || !invitation.IsPending(now) || card is { Active: false } || account is { Active: true })
        {
            Audit.Record(session, http, clock, "account.activation", nameof(MemberInvitation), invitation?.Id.ToString(), outcome:
                invitation is null || !invitation.IsPending(now) ? "member-link-not-usable"
                : card is { Active: false } ? "member-deactivated" : "member-already-active");
            return (new Refusal(StatusCodes.Status410Gone, LinkNotUsableMessage), []);
        }
        // The roster's message that creates the account travels beside the invitation's; it is here long before a person
        // opens the email, and when it is not, saying so beats activating an account the roster has not described yet.
        if (account is null || card is null)
            return (Refusal.Conflict("Your account is still being set up. Try again in a minute."), []);
        if (Passwords.Problem(request.Password, account.Email) is { } problem) return (Passwords.Refused(problem), []);

        account.PasswordHash = Passwords.Hash(account, request.Password);
        account.Active = true;
        account.ActivatedAt = now;
        account.LastSignInAt = now;
        account.ClearLock(now);
        session.Store(account);
        invitation.UsedAt = now;
        session.Store(invitation);
        var member = new CurrentUser(account.Role, account.Id, account.DisplayName, null, account.ProviderId, account.PracticeId, account.StaffRole);
        Audit.Record(session, http, clock, "account.activation", nameof(Account), account.Id.ToString(), outcome: "member-activated", actor: member);
        Audit.Record(session, http, clock, "account.sign-in", nameof(Account), account.Id.ToString(), outcome: "success", actor: member);
        await SignInFlow.StartSessionAsync(http, session, account, now);
        return (new MemberActivated(account.Id, account.Email, SignInFlow.HomeOf(account)), MemberAccounts.Changed(account));
    }
}
