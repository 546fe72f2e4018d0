using System.Security.Claims;
using Portal.Invitations.Accounts;
using Portal.Invitations.Invites;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Status;

internal enum AccessStatus
{
    NotEligible,
    Eligible,
    Invited,
    InvitationExpired,
    ActivationBlocked,
    Active,
    Locked,
    /// <summary>Discharged by the practice: access closed until the client is re-opened.</summary>
    Discharged,
    /// <summary>Re-opened after a discharge closed the account: a new invitation is needed.</summary>
    Closed,
}

/// <summary>
/// A client's portal access as their provider sees it. <see cref="ActivationBlockedAt"/> and <see cref="FailedChecks"/>:
/// when the latest link was closed after wrong dates of birth, and after how many.
/// </summary>
public sealed record ClientAccess(Guid ClientId, string Name, string Email, string Status, DateTimeOffset? InvitationSentAt,
    DateTimeOffset? InvitationExpiresAt, DateTimeOffset? LockedUntil, DateTimeOffset? ActivationBlockedAt = null,
    int? FailedChecks = null);

public static class ClientAccessEndpoints
{
    [WolverineGet("/api/console/clients/{clientId}/access")]
    [Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<IResult> GetOne(Guid clientId, ClaimsPrincipal principal, IQuerySession session, TimeProvider clock)
    {
        var card = await session.LoadAsync<InvitationsClient>(clientId);
        if (card is null || !card.IsVisibleTo(CurrentUser.From(principal)!)) return Results.Problem(statusCode: 404, title: "No such client.");
        return Results.Ok((await ClientAccessReader.ReadAsync(session, [card], clock.GetUtcNow())).Single());
    }

    [WolverineGet("/api/console/access")]
    [Authorize(Policy = PortalPolicies.FrontOfficeOrSupport)]
    public static async Task<IReadOnlyList<ClientAccess>> GetAll(ClaimsPrincipal principal, IQuerySession session, TimeProvider clock) =>
        await ClientAccessReader.ForAsync(CurrentUser.From(principal)!, session, clock.GetUtcNow());
}

internal static class ClientAccessReader
{
    public static async Task<IReadOnlyList<ClientAccess>> ForAsync(CurrentUser user, IQuerySession session, DateTimeOffset now)
    {
        var query = session.Query<InvitationsClient>().VisibleTo(user);
        var cards = await query.OrderBy(c => c.LastName).ThenBy(c => c.FirstName).Take(1000).ToListAsync();
        return await ReadAsync(session, cards, now);
    }

    public static async Task<IReadOnlyList<ClientAccess>> ReadAsync(IQuerySession session, IReadOnlyList<InvitationsClient> cards, DateTimeOffset now)
    {
        var ids = cards.Select(c => c.Id).ToArray();
        var accounts = (await session.Query<Account>().Where(a => a.ClientId != null && ids.Contains(a.ClientId.Value)).ToListAsync())
            .ToDictionary(a => a.ClientId!.Value);
        var invitations = (await session.Query<Invitation>().Where(i => ids.Contains(i.ClientId)).ToListAsync())
            .GroupBy(i => i.ClientId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.IsPending(now)).ThenByDescending(i => i.SentAt).First());

        return cards.Select(card =>
        {
            accounts.TryGetValue(card.Id, out var account);
            invitations.TryGetValue(card.Id, out var latest);
            var status = account is { Active: true }
                ? account.IsLocked(now) ? AccessStatus.Locked : AccessStatus.Active
                : card.Discharged ? AccessStatus.Discharged
                : !card.Eligible ? AccessStatus.NotEligible
                : account is { IsClosed: true } && (latest is null || latest.SentAt <= account.ClosedAt) ? AccessStatus.Closed
                : latest is null ? AccessStatus.Eligible
                : latest.IsPending(now) ? AccessStatus.Invited
                : latest.IsBlocked ? AccessStatus.ActivationBlocked
                : AccessStatus.InvitationExpired;
            var blocked = status == AccessStatus.ActivationBlocked ? latest : null;
            return new ClientAccess(card.Id, card.DisplayName, card.Email, status.ToString(),
                latest?.SentAt, latest?.ExpiresAt, account?.IsLocked(now) == true ? account.LockedUntil : null,
                blocked?.BlockedAt, blocked?.FailedChecks);
        }).ToList();
    }

    public static string Describe(string status) => Enum.Parse<AccessStatus>(status) switch
    {
        AccessStatus.NotEligible => "Not eligible",
        AccessStatus.Eligible => "Eligible, not invited",
        AccessStatus.Invited => "Invited",
        AccessStatus.InvitationExpired => "Invitation expired",
        AccessStatus.ActivationBlocked => "Activation blocked",
        AccessStatus.Active => "Active",
        AccessStatus.Locked => "Locked",
        AccessStatus.Discharged => "Closed (discharged)",
        AccessStatus.Closed => "Closed, needs a new invitation",
        _ => status,
    };
}
