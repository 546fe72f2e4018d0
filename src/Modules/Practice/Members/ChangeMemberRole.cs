using System.Text.Json.Serialization;
using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>The owner gives a member another role. The member's open sessions end (the accounts module ends them).</summary>
public sealed record ChangeMemberRoleRequest([property: JsonConverter(typeof(JsonStringEnumConverter<StaffRole>))] StaffRole? Role);

internal sealed class ChangeMemberRoleValidator : AbstractValidator<ChangeMemberRoleRequest>
{
    public ChangeMemberRoleValidator() => RuleFor(r => r.Role).NotNull().IsInEnum();
}

public static class ChangeMemberRoleEndpoint
{
    [WolverinePut("/api/console/practice/members/{providerId}/role")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Put(Guid providerId, ChangeMemberRoleRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var (outcome, messages) = await ChangeMemberRole.ExecuteAsync(providerId, request, http, session, clock);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ChangeMemberRole
{
    /// <summary>The same role again changes nothing (and ends no session); the last active owner keeps the role (409).</summary>
    public static async Task<(Outcome<MemberView>, OutgoingMessages)> ExecuteAsync(Guid providerId, ChangeMemberRoleRequest request,
        HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var loaded = await Membership.LoadLockedAsync(session, CurrentUser.From(http.User)!, providerId, http.RequestAborted);
        if (!loaded.Succeeded) return (loaded.Refusal, []);
        var member = loaded.Value;
        var role = request.Role!.Value;
        if (member.Role == role) return (await Membership.ViewAsync(session, member, http.RequestAborted), []);
        if (await Membership.RefuseLosingLastOwnerAsync(session, member, role, member.Active, http.RequestAborted) is { } lastOwner)
            return (lastOwner, []);

        var before = member.Role;
        member.Role = role;
        session.Store(member);
        Audit.Record(session, http, clock, "member.role-changed", nameof(RosterProvider), member.Id.ToString(), outcome: $"{before}->{role}");
        return (await Membership.ViewAsync(session, member, http.RequestAborted), [member.Changed()]);
    }
}
