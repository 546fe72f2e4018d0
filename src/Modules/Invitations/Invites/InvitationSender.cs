using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Invites;

internal enum InvitationRefusal
{
    None,
    NoSuchClient,
    NotEligible,
    AlreadyActive,
    AlreadyPending,
    ActivationBlocked,
    MinorUnderOwnLoginAge,
}

/// <summary>
/// Issues invitations. The rules: only an eligible client without an active account is invited; a task request
/// while an invitation is pending sends nothing more; a provider's resend (or the client's request from an expired or
/// used link) replaces any pending invitation with a new one, so only the newest link works. After an activation was
/// blocked by wrong dates of birth only the provider's own send issues a new link (no task request, no request from
/// the closed link): otherwise whoever holds the link could ask for more guesses.
/// </summary>
internal static class InvitationSender
{
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(5);

    public static async Task<InvitationRefusal> WhyNotAsync(IQuerySession session, InvitationsClient? client, DateTimeOffset now, bool replacePending)
    {
        if (client is null) return InvitationRefusal.NoSuchClient;
        if (!client.Eligible) return InvitationRefusal.NotEligible;
        if (await Contacts.InvitationsMinorsPolicy.UnderOwnLoginAgeAsync(session, client, now)) return InvitationRefusal.MinorUnderOwnLoginAge;
        if (await session.Query<Account>().AnyAsync(a => a.ClientId == client.Id && a.Active)) return InvitationRefusal.AlreadyActive;
        if (replacePending) return InvitationRefusal.None;
        var open = await session.Query<Invitation>()
            .Where(i => i.ClientId == client.Id && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync();
        if (open.Any(i => i.IsBlocked)) return InvitationRefusal.ActivationBlocked;
        if (open.Any(i => i.IsPending(now))) return InvitationRefusal.AlreadyPending;
        return InvitationRefusal.None;
    }

    /// <summary>
    /// Invites each of the clients for whom a task was requested, where the rules allow (see above), in the caller's
    /// transaction, which holds the clients' edit locks: three queries whatever the number of clients.
    /// </summary>
    public static async Task InviteWhereDueAsync(IDocumentSession session, IReadOnlyCollection<InvitationsClient> clients, DateTimeOffset now,
        Inviting inviting, CancellationToken cancellation)
    {
        if (clients.Count == 0) return;
        var clientIds = clients.Select(c => c.Id).ToArray();
        var active = (await session.Query<Account>()
                .Where(a => a.ClientId != null && clientIds.Contains(a.ClientId.Value) && a.Active)
                .Select(a => a.ClientId!.Value)
                .ToListAsync(cancellation))
            .ToHashSet();
        var open = (await session.Query<Invitation>()
                .Where(i => clientIds.Contains(i.ClientId) && i.UsedAt == null && i.ReplacedAt == null)
                .ToListAsync(cancellation))
            .ToLookup(i => i.ClientId);

        // A minor under the practice's own-login age gets no login of their own: a parent or guardian acts for them.
        var policies = new Dictionary<Guid, Contacts.InvitationsMinorsPolicy>();
        foreach (var practiceId in clients.Select(c => c.PracticeId).Distinct())
            policies[practiceId] = await Contacts.InvitationsMinorsPolicy.ForAsync(session, practiceId, cancellation);
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        foreach (var client in clients)
        {
            var refusal = !client.Eligible ? InvitationRefusal.NotEligible
                : policies[client.PracticeId].OwnLoginFrom(client.DateOfBirth) > today ? InvitationRefusal.MinorUnderOwnLoginAge
                : active.Contains(client.Id) ? InvitationRefusal.AlreadyActive
                : open[client.Id].Any(i => i.IsBlocked) ? InvitationRefusal.ActivationBlocked
                : open[client.Id].Any(i => i.IsPending(now)) ? InvitationRefusal.AlreadyPending
                : InvitationRefusal.None;
            if (refusal == InvitationRefusal.None)
                Issue(session, client, open[client.Id], now, inviting.Protection, inviting.Configuration, inviting.Issued);
            else
                inviting.Logger.LogInformation("No invitation for client {ClientId} after a task request: {Reason}", client.Id, refusal);
        }
    }

    /// <summary>Replaces any open invitation and issues a new one; the returned message carries the protected link.</summary>
    public static async Task<InvitationEmailRequested> IssueAsync(IDocumentSession session, InvitationsClient client, TimeProvider clock,
        IDataProtectionProvider protection, IConfiguration configuration, IssuedInvitations issued)
    {
        var open = await session.Query<Invitation>()
            .Where(i => i.ClientId == client.Id && i.UsedAt == null && i.ReplacedAt == null)
            .ToListAsync();
        return Issue(session, client, open, clock.GetUtcNow(), protection, configuration, issued);
    }

    /// <summary>Replaces the given open invitations of the client and issues a new one, added to <paramref name="issued"/>.</summary>
    public static InvitationEmailRequested Issue(IDocumentSession session, InvitationsClient client, IEnumerable<Invitation> open,
        DateTimeOffset now, IDataProtectionProvider protection, IConfiguration configuration, IssuedInvitations issued)
    {
        foreach (var old in open)
        {
            old.ReplacedAt = now;
            session.Store(old);
        }

        var token = SecretTokens.New();
        var invitation = new Invitation
        {
            Id = Guid.CreateVersion7(),
            ClientId = client.Id,
            Email = client.Email,
            TokenHash = SecretTokens.Hash(token),
            SentAt = now,
            ExpiresAt = now + ValidFor,
        };
        session.Store(invitation);
        var link = SecretLinks.Create(protection, configuration, $"/activate?token={token}");
        var email = new InvitationEmailRequested(
            invitation.Id, client.Id, client.Email, client.FirstName, client.PracticeName, link, invitation.ExpiresAt)
            { PracticeId = client.PracticeId };
        issued.Add(email);
        return email;
    }

    public static string Explain(InvitationRefusal refusal) => refusal switch
    {
        InvitationRefusal.NoSuchClient => "No such client.",
        InvitationRefusal.NotEligible =>
            "This client is not eligible for the portal: the portal is not switched on for their provider, " +
            "or support turned it off for this client. Ask support to enable it.",
        InvitationRefusal.MinorUnderOwnLoginAge =>
            "This client is younger than the age from which the practice gives minors their own login. Invite a parent or " +
            "guardian as their contact instead.",
        InvitationRefusal.AlreadyActive => "This client already has an active portal account.",
        InvitationRefusal.AlreadyPending => "An invitation is already pending.",
        InvitationRefusal.ActivationBlocked =>
            "The client's activation was blocked after wrong dates of birth; only the provider's new invitation reopens it.",
        _ => string.Empty,
    };
}

/// <summary>What issuing invitations needs beside the session: the link's protection and address, a log, and where they are collected.</summary>
internal sealed record Inviting(IDataProtectionProvider Protection, IConfiguration Configuration, ILogger Logger, IssuedInvitations Issued);

/// <summary>
/// The invitations one transaction issued, as the messages that announce them: each one's email (with the link) for
/// Notifications, and <see cref="InvitationsIssued"/> (no link, no address) for the modules that only track who is
/// invited until when. Both come from here, so no path that issues an invitation can leave either out.
/// </summary>
internal sealed class IssuedInvitations
{
    private readonly List<InvitationEmailRequested> emails = [];

    public void Add(InvitationEmailRequested email) => emails.Add(email);

    public OutgoingMessages ToMessages()
    {
        var messages = new OutgoingMessages();
        messages.AddRange(emails);
        foreach (var batch in emails.Chunk(InvitationsIssued.MaxInvitations))
            messages.Add(new InvitationsIssued([.. batch.Select(e =>
                new IssuedInvitation(e.InvitationId, e.ClientId, e.ExpiresAt, e.ExpiresAt - InvitationSender.ValidFor))]));
        return messages;
    }
}
