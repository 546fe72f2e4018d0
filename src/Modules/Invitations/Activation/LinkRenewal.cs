using Portal.Invitations.Accounts;
using Portal.Invitations.SignIn;

namespace Portal.Invitations.Activation;

/// <summary>
/// Renewing an invitation link from the link itself, the one path for a client's link (<see cref="RequestFreshLinkEndpoint"/>)
/// and a practice member's (<see cref="Members.RenewMemberLinkEndpoint"/>): at most one request per link in the rate
/// window (counted the same whether the link exists or not), the link found by its token, whom it invites locked and
/// checked, the request audited with why it was refused, and only then a fresh link to the address on file (never one
/// given here). The endpoints answer the same whatever happened, so a link cannot be used to learn anything.
/// </summary>
internal static class LinkRenewal
{
    /// <summary>
    /// A link found by its token, checked under the lock of whom it invites: its type and id and its client (for the
    /// audit), why it cannot be renewed (null: it can), and how to issue the fresh link when it can.
    /// </summary>
    internal sealed record Candidate(string LinkType, Guid LinkId, Guid? ClientId, string? Refusal, Func<Task<OutgoingMessages>> Issue);

    /// <summary>What the endpoints and pages answer, naming who holds the address the fresh link goes to.</summary>
    public static string Answer(string holder) =>
        $"If this link belongs to an invitation that can be renewed, a fresh link is on its way to the email address {holder} has on file.";

    /// <summary>
    /// The renewal; <paramref name="scope"/> keeps each kind's rate counts apart, <paramref name="find"/> looks the link
    /// up by the token and decides (null when no link has it).
    /// </summary>
    public static async Task<OutgoingMessages> RenewAsync(string token, string scope, HttpContext http, IDocumentSession session,
        TimeProvider clock, Func<Task<Candidate?>> find)
    {
        if (!AuthRateLimits.EmailRequests.AttemptAcquire($"{scope}|{SecretTokens.Hash(token)}", 1).IsAcquired) return [];
        var candidate = await find();
        if (candidate is null) return [];
        Audit.Record(session, http, clock, "invitation.renew-requested", candidate.LinkType, candidate.LinkId.ToString(),
            candidate.ClientId, candidate.Refusal ?? "renewed");
        return candidate.Refusal is null ? await candidate.Issue() : [];
    }
}
