using Microsoft.Extensions.Logging;
using Portal.Invitations.Accounts;
using Portal.Invitations.Roster;

namespace Portal.Invitations.Invites;

internal enum InvitationRefusal
{
    None,
    NoSuchClient,
    NotEligible,
    NoEmail,
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
        if (client.Email.Length == 0) return InvitationRefusal.NoEmail;
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

        var forGuardians = new List<InvitationsClient>();
        foreach (var client in clients)
        {
            var refusal = !client.Eligible ? InvitationRefusal.NotEligible
                : client.Email.Length == 0 ? InvitationRefusal.NoEmail
                : policies[client.PracticeId].OwnLoginFrom(client.DateOfBirth) > today ? InvitationRefusal.MinorUnderOwnLoginAge
                : active.Contains(client.Id) ? InvitationRefusal.AlreadyActive
                : open[client.Id].Any(i => i.IsBlocked) ? InvitationRefusal.ActivationBlocked
                : open[client.Id].Any(i => i.IsPending(now)) ? InvitationRefusal.AlreadyPending
                : InvitationRefusal.None;
            if (refusal == InvitationRefusal.None)
                Issue(session, client, open[client.Id], now, inviting.Protection, inviting.Configuration, inviting.Issued);
            else
                inviting.Logger.LogInformation("No invitation for client {ClientId} after a task request: {Reason}", client.Id, refusal);
            if (refusal is InvitationRefusal.NoEmail or InvitationRefusal.MinorUnderOwnLoginAge) forGuardians.Add(client);
        }
        // A record without a login of the client's own invites its parents and guardians instead, by the same rules.
        await Contacts.ContactInvitations.InviteGuardiansWhereDueAsync(session, forGuardians, now, inviting, cancellation);
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
        var email = IssueLink(session, new Invitation { ClientId = client.Id, Email = client.Email }, open, now, client.FirstName,
            client.PracticeName, protection, configuration) with { PracticeId = client.PracticeId, Language = client.Language };
        issued.Add(email);
        return email;
    }

    /// <summary>
    /// The one path every activation link of a client record takes, the client's and a contact's: the open links it
    /// replaces stop working, the new one gets a fresh token (only its hash stored) valid for <see cref="ValidFor"/>,
    /// and the returned message carries the protected link to <paramref name="link"/>'s address.
    /// </summary>
    public static InvitationEmailRequested IssueLink<T>(IDocumentSession session, T link, IEnumerable<T> open, DateTimeOffset now,
        string firstName, string practiceName, IDataProtectionProvider protection, IConfiguration configuration) where T : ActivationLink
    {
        foreach (var old in open)
        {
            old.ReplacedAt = now;
            session.Store(old);
        }

        var token = SecretTokens.New();
        link.Id = Guid.CreateVersion7();
        link.TokenHash = SecretTokens.Hash(token);
        link.SentAt = now;
        link.ExpiresAt = now + ValidFor;
        session.Store(link);
        var address = SecretLinks.Create(protection, configuration, $"/activate?token={token}");
        return new InvitationEmailRequested(link.Id, link.ClientId, link.Email, firstName, practiceName, address, link.ExpiresAt);
    }

    public static string Explain(InvitationRefusal refusal) => refusal switch
    {
        InvitationRefusal.NoSuchClient => "No such client.",
        InvitationRefusal.NotEligible =>
            "This client is not eligible for the portal: the portal is not switched on for their provider, " +
            "or support turned it off for this client. Ask support to enable it.",
        InvitationRefusal.NoEmail =>
            "This client has no email of their own yet: their parent or guardian is invited as their contact. Correct the " +
            "client's email to give them their own login.",
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
    private readonly List<InvitationEmailRequested> contactEmails = [];

    public void Add(InvitationEmailRequested email) => emails.Add(email);

    /// <summary>A contact's invitation: its email only, since the client themselves is not invited by it.</summary>
    public void AddContact(InvitationEmailRequested email) => contactEmails.Add(email);

    public OutgoingMessages ToMessages()
    {
        var messages = new OutgoingMessages();
        messages.AddRange(emails);
        messages.AddRange(contactEmails);
        foreach (var batch in emails.Chunk(InvitationsIssued.MaxInvitations))
            messages.Add(new InvitationsIssued([.. batch.Select(e =>
                new IssuedInvitation(e.InvitationId, e.ClientId, e.ExpiresAt, e.ExpiresAt - InvitationSender.ValidFor))]));
        return messages;
    }
}
