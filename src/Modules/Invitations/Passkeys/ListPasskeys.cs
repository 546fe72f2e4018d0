using System.Security.Claims;
using Portal.Invitations.Accounts;

namespace Portal.Invitations.Passkeys;

/// <summary>The signed-in login's passkeys, newest first, with when each was added and last used.</summary>
public static class ListPasskeysEndpoint
{
    [WolverineGet("/api/account/passkeys")]
    [Authorize]
    public static async Task<IResult> Get(ClaimsPrincipal principal, HttpContext http, IQuerySession session) =>
        (await ListAsync(CurrentUser.From(principal)!, session, http)).ToResult(http);

    internal static async Task<Outcome<IReadOnlyList<PasskeyView>>> ListAsync(CurrentUser user, IQuerySession session,
        HttpContext http)
    {
        var account = await session.LoadAsync<Account>(user.UserId, http.RequestAborted);
        if (account is null) return PasskeyRefusals.For(http).NoAccount();
        return Outcome<IReadOnlyList<PasskeyView>>.Ok([.. account.Passkeys.OrderByDescending(p => p.CreatedAt).Select(PasskeyView.Of)]);
    }
}
