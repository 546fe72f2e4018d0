using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Contacts;

/// <summary>
/// The owner sets the practice's rule for minors: from which age a minor gets their own login (default 13), and which
/// kinds of task a parent or guardian still completes for a minor of that age (default insurance, autopay, documents).
/// </summary>
/// <remarks>Task kinds by name ("AddInsurance", "EnrollInAutopay", "SignDocument", "CompleteIntakeForm", "CompleteAssessment").</remarks>
public sealed record MinorsPolicyRequest(int OwnLoginFromAge, IReadOnlyList<string> GuardianCompletes)
{
    internal IEnumerable<TaskKind> Kinds => GuardianCompletes.Select(Enum.Parse<TaskKind>).Distinct();
}

internal sealed record MinorsPolicyView(int OwnLoginFromAge, IReadOnlyList<string> GuardianCompletes)
{
    public static MinorsPolicyView Of(RosterPractice practice) =>
        new(practice.MinorOwnLoginFromAge, [.. practice.GuardianCompletes.Select(k => k.ToString())]);
}

internal sealed class MinorsPolicyValidator : AbstractValidator<MinorsPolicyRequest>
{
    public MinorsPolicyValidator()
    {
        RuleFor(r => r.OwnLoginFromAge).InclusiveBetween(8, 21).WithMessage("Choose an age from 8 to 21.");
        RuleFor(r => r.GuardianCompletes).NotNull();
        RuleForEach(r => r.GuardianCompletes)
            .Must(k => Enum.TryParse<TaskKind>(k, ignoreCase: false, out var kind) && Enum.IsDefined(kind) && !int.TryParse(k, out _))
            .WithMessage($"Name kinds of task: {string.Join(", ", Enum.GetNames<TaskKind>())}.");
    }
}

public static class MinorsPolicyEndpoints
{
    [WolverineGet("/api/console/practice/minors")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IQuerySession session)
    {
        var practice = await session.LoadAsync<RosterPractice>(CurrentUser.From(principal)!.PracticeId ?? Guid.Empty);
        return practice is null
            ? Results.Problem(statusCode: 404, title: "No such practice.")
            : Results.Ok(MinorsPolicyView.Of(practice));
    }

    [WolverinePut("/api/console/practice/minors")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Put(MinorsPolicyRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock)
    {
        var user = CurrentUser.From(http.User)!;
        var practice = await session.LoadAsync<RosterPractice>(user.PracticeId ?? Guid.Empty);
        if (practice is null) return (Results.Problem(statusCode: 404, title: "No such practice."), []);
        practice.MinorOwnLoginFromAge = request.OwnLoginFromAge;
        practice.GuardianCompletes = [.. request.Kinds];
        practice.MinorsPolicyVersion++;
        session.Store(practice);
        Audit.Record(session, http, clock, "practice.minors-policy", "Practice", practice.Id.ToString(),
            outcome: $"from {practice.MinorOwnLoginFromAge}: {string.Join(",", practice.GuardianCompletes)}");
        return (Results.Ok(MinorsPolicyView.Of(practice)),
            [new PracticeMinorsPolicyChanged(practice.Id, practice.MinorOwnLoginFromAge, practice.GuardianCompletes, practice.MinorsPolicyVersion)]);
    }
}
