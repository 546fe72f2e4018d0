using System.Text.Json.Serialization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Practice.Providers;
using Portal.Practice.Roster;

namespace Portal.Practice.Members;

/// <summary>The owner invites a member by email with a role; the accounts module emails them an activation link.</summary>
public sealed record InviteMemberRequest(string Name, string Email,
    [property: JsonConverter(typeof(JsonStringEnumConverter<StaffRole>))] StaffRole? Role);

internal sealed record MemberInvited(Guid ProviderId, DateTimeOffset InvitedAt);

internal sealed class InviteMemberValidator : AbstractValidator<InviteMemberRequest>
{
    public InviteMemberValidator()
    {
        RuleFor(r => r.Name).ProviderName();
        RuleFor(r => r.Email).ProviderEmail();
        RuleFor(r => r.Role).NotNull().IsInEnum();
    }
}

public static class InviteMemberEndpoint
{
    [WolverinePost("/api/console/practice/members")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Post(InviteMemberRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var (outcome, messages) = await InviteMember.ExecuteAsync(request, http, session, clock);
        return (outcome.ToResult(http, invited => Results.Created($"/api/console/practice/members/{invited.ProviderId}", invited)), messages);
    }
}

internal static class InviteMember
{
    /// <summary>
    /// Adds the member to the roster with the role (published as every member is) and asks the accounts module for the
    /// invitation. The member's email is their sign-in, so an address any member already uses is refused (409).
    /// </summary>
    public static async Task<(Outcome<MemberInvited>, OutgoingMessages)> ExecuteAsync(InviteMemberRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var owner = CurrentUser.From(http.User)!;
        var practiceId = owner.PracticeId!.Value;
        await EditLock.LockAsync<RosterPractice>(session, practiceId, http.RequestAborted);
        var practice = await session.LoadAsync<RosterPractice>(practiceId, http.RequestAborted);
        if (practice is null) return (Refusal.NotFound("practice"), []);
        var email = EmailAddress.Normalize(request.Email);
        if (await ProviderEmails.RefuseTakenAsync(session, email) is { } taken) return (taken, []);

        var role = request.Role!.Value;
        var member = RosterProvider.New(practice, request.Name, email, role);
        // A clinician starts with the portal switch the practice's other clinical members have (on if any active one
        // has it on): support switched the practice on, and a new colleague's clients should not be left out of it.
        // Other roles have no clients of their own, so their switch stays off.
        if (role == StaffRole.Clinician)
        {
            member.PortalEnabled = await session.Query<RosterProvider>().AnyAsync(p => p.PracticeId == practiceId && p.Active
                && (p.Role == StaffRole.Owner || p.Role == StaffRole.Clinician) && p.PortalEnabled, http.RequestAborted);
        }
        session.Store(member);

        var now = clock.GetUtcNow();
        Audit.Record(session, http, clock, "member.invited", nameof(RosterProvider), member.Id.ToString(), outcome: role.ToString());
        return (new MemberInvited(member.Id, now),
        [
            member.Changed(),
            new MemberInvitationRequested(Guid.CreateVersion7(), member.Id, practice.Id, practice.Name, member.Name, member.Email, role, now),
        ]);
    }
}
