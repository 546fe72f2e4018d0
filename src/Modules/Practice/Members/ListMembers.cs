using System.Text.Json.Serialization;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>Where a member stands: invited (no active account yet), active, or deactivated by an owner.</summary>
public enum MemberStatus
{
    Invited,
    Active,
    Deactivated,
}

/// <summary>One member as the owner's members page and API show them.</summary>
public sealed record MemberView(
    Guid ProviderId,
    string Name,
    string Email,
    [property: JsonConverter(typeof(JsonStringEnumConverter<StaffRole>))] StaffRole Role,
    string RoleName,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MemberStatus>))] MemberStatus Status,
    DateTimeOffset? LastSignInAt);

public sealed record PracticeMembers(Guid PracticeId, string PracticeName, IReadOnlyList<MemberView> Members);

/// <summary>The owner's list of the practice's members: name, email, role, status and last sign-in, in name order.</summary>
public static class ListMembersEndpoint
{
    [WolverineGet("/api/console/practice/members")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session) =>
        (await ListMembers.ExecuteAsync(CurrentUser.From(http.User)!, session, http.RequestAborted)).ToResult(http);
}

internal static class ListMembers
{
    /// <summary>More than any practice has; a practice beyond it is refused rather than shown cut.</summary>
    public const int MaximumMembers = 2000;

    public static async Task<Outcome<PracticeMembers>> ExecuteAsync(CurrentUser owner, IQuerySession session, CancellationToken cancellation)
    {
        var practiceId = owner.PracticeId!.Value;
        var practice = await session.LoadAsync<RosterPractice>(practiceId, cancellation);
        if (practice is null) return Refusal.NotFound("practice");
        var members = await session.Query<RosterProvider>().Where(p => p.PracticeId == practiceId)
            .OrderBy(p => p.Name).Take(MaximumMembers + 1).ToListAsync(cancellation);
        if (members.Count > MaximumMembers)
            return Refusal.Conflict($"The practice has more than {MaximumMembers} members; the list cannot show them all.");
        var facts = (await session.LoadManyAsync<MemberAccountFacts>(cancellation, members.Select(m => m.Id)))
            .ToDictionary(f => f.Id);
        return new PracticeMembers(practice.Id, practice.Name, [.. members.Select(m => Membership.View(m, facts.GetValueOrDefault(m.Id)))]);
    }
}
