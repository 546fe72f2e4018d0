using Portal.Practice.Roster;

namespace Portal.Practice.Lifecycle;

/// <summary>Why and when a client was discharged, and by whom (the profile shows it; a re-open keeps it as history).</summary>
public sealed record Discharge(string Reason, DateTimeOffset At, Guid ById, string ByName, DateTimeOffset? ReopenedAt = null);

/// <summary>What the profile and the API show of a client's place in their care: discharged or not, and why.</summary>
internal sealed record ClientLifecycleView(Guid ClientId, bool Discharged, string? Reason, DateTimeOffset? DischargedAt, string? DischargedBy,
    DateTimeOffset? ReopenedAt, bool HasActiveAccount, long Version)
{
    internal static ClientLifecycleView Of(RosterClient client) => new(client.Id, client.Discharged, client.LastDischarge?.Reason,
        client.LastDischarge?.At, client.LastDischarge?.ByName, client.LastDischarge?.ReopenedAt, client.HasActiveAccount, client.Version);
}

/// <summary>
/// Who decides a client's discharge and re-open: the practice's owner or the client's primary clinician (a care-team
/// member, front desk or biller who sees the client is told 403; anyone else, 404, as for every record).
/// </summary>
internal static class LifecycleRule
{
    public const int MaximumReason = 500;

    /// <summary>Reasons the page offers; the provider may write their own.</summary>
    public static readonly IReadOnlyList<string> CommonReasons =
    [
        "Treatment goals met",
        "Client ended treatment",
        "Referred to another provider",
        "Client moved away",
        "No contact from the client",
    ];

    public static Refusal? Refuses(CurrentUser user, RosterClient? client)
    {
        if (client is null || !ClientCard.IsVisibleTo(user, client.Id, client.PracticeId, client.ProviderId, client.CareTeam))
            return Refusal.NotFound("client");
        return MayDecide(user, client)
            ? null
            : Refusal.Forbidden("Only the practice owner or the client's primary clinician can discharge or re-open a client.");
    }

    public static bool MayDecide(CurrentUser user, RosterClient client) =>
        user.IsProvider && user.PracticeId == client.PracticeId && (user.IsOwner || user.ProviderId == client.ProviderId);
}
