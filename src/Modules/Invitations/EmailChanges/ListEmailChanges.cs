using System.Security.Claims;
using Portal.Invitations.Roster;

namespace Portal.Invitations.EmailChanges;

public sealed record EmailChangeView(Guid RequestId, Guid ClientId, string OldEmail, string NewEmail, string Status, DateTimeOffset RequestedAt);

/// <summary>
/// Email change requests: a front-office member (owner, clinician, front desk) sees those of the clients they may see
/// (the card rule), support all, a client their own; a biller none.
/// </summary>
public static class ListEmailChangesEndpoint
{
    [WolverineGet("/api/email-changes")]
    [Authorize]
    public static async Task<IReadOnlyList<EmailChangeView>> Get(ClaimsPrincipal principal, IQuerySession session) =>
        await ForAsync(CurrentUser.From(principal)!, session, null);

    /// <summary>
    /// The newest 200 the user may see; with <paramref name="status"/>, the newest 200 in that state (a list of the
    /// ones waiting must not lose an old waiting request behind 200 newer decided ones).
    /// </summary>
    internal static async Task<IReadOnlyList<EmailChangeView>> ForAsync(CurrentUser user, IQuerySession session, Guid? clientId,
        EmailChangeStatus? status = null)
    {
        var query = session.Query<EmailChangeRequest>().AsQueryable();
        // Access is the front office's: a biller gets none.
        if (user.IsProvider && !user.HandlesFrontOffice) return [];
        if (user.IsProvider)
        {
            var visible = clientId is { } one
                ? await session.Query<InvitationsClient>().Where(c => c.Id == one).VisibleTo(user).Select(c => c.Id).ToListAsync()
                : await session.Query<InvitationsClient>().VisibleTo(user).Select(c => c.Id).ToListAsync();
            if (visible.Count == 0) return [];
            query = query.Where(r => r.ClientId.IsOneOf(visible.ToArray()));
        }
        else if (user.IsClient) query = query.Where(r => r.ClientId == user.ClientId);
        else if (!user.IsSupport) return [];
        if (clientId is { } id) query = query.Where(r => r.ClientId == id);
        if (status is { } wanted) query = query.Where(r => r.Status == wanted);
        var list = await query.OrderByDescending(r => r.RequestedAt).Take(200).ToListAsync();
        return list.Select(r => new EmailChangeView(r.Id, r.ClientId, r.OldEmail, r.NewEmail, r.Status.ToString(), r.RequestedAt)).ToList();
    }
}
