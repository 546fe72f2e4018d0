using Portal.Invitations.Accounts;

namespace Portal.Invitations.Support;

/// <summary>
/// Support gives a provider an initial password (told to them out of band) and so activates the provider's account.
/// Providers can choose their own afterwards with a password reset link.
/// </summary>
public sealed record SetProviderPasswordRequest(string Password);

internal sealed class SetProviderPasswordValidator : AbstractValidator<SetProviderPasswordRequest>
{
    public SetProviderPasswordValidator()
    {
        RuleFor(r => r.Password).AcceptablePassword();
    }
}

public static class SetProviderPasswordEndpoint
{
    [WolverinePut("/api/support/providers/{providerId}/password")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Put(Guid providerId, SetProviderPasswordRequest request, IDocumentSession session,
        HttpContext http, TimeProvider clock)
    {
        var outcome = await SetAsync(providerId, request, session, http, clock);
        // The roster shows the member as active from now on.
        return (outcome.ToResult(http), outcome.Succeeded ? Members.MemberAccounts.Changed(outcome.Value) : []);
    }

    internal static async Task<Outcome<Account>> SetAsync(Guid providerId, SetProviderPasswordRequest request, IDocumentSession session,
        HttpContext http, TimeProvider clock)
    {
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.ProviderId == providerId);
        if (account is null) return new Refusal(StatusCodes.Status404NotFound, "No such provider.");
        if (Passwords.Problem(request.Password, account.Email) is { } problem) return Passwords.Refused(problem);

        account.PasswordHash = Passwords.Hash(account, request.Password);
        account.Active = true;
        account.ActivatedAt ??= clock.GetUtcNow();
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        session.Store(account);
        Audit.Record(session, http, clock, "account.password-set-by-support", "Account", account.Id.ToString());
        return Outcome<Account>.Ok(account, StatusCodes.Status204NoContent);
    }
}
