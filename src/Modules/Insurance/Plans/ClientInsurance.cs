using Portal.Contracts;

namespace Portal.Insurance.Plans;

// A client's insurance is one event stream whose id is the client id. Every change is an event carrying who made it
// and when (from the injected clock), so "Last Updated" and the history are read from the events themselves.

public enum CardSide
{
    Front,
    Back,
}

/// <summary>How the routes and pages name a plan rank: "primary" or "secondary".</summary>
internal static class PlanRanks
{
    public static readonly Refusal Unknown = new(StatusCodes.Status404NotFound, "Plans are primary or secondary.");

    public static PlanRank? Parse(string? rank) => rank?.ToLowerInvariant() switch
    {
        "primary" => PlanRank.Primary,
        "secondary" => PlanRank.Secondary,
        _ => null,
    };

    public static string Name(this PlanRank rank) => rank == PlanRank.Primary ? "primary" : "secondary";
}

public enum ReviewStatus
{
    /// <summary>Entered or changed by the client: the provider has not looked at it yet.</summary>
    AwaitingReview,
    Verified,
    /// <summary>Sent back to the client with a message saying what to fix.</summary>
    ReturnedToClient,
}

/// <summary>Who holds the plan. <see cref="IsClient"/> false: a parent, spouse or partner holds it and the client is a dependent.</summary>
public sealed record Subscriber(bool IsClient, string? Name, DateOnly? DateOfBirth, string? Relationship);

public sealed record PlanDetails(string PayerId, string PayerName, string PlanName, string MemberId, string? GroupNumber, Subscriber Subscriber);

public sealed record PlanAdded(PlanRank Rank, PlanDetails Plan, Actor By, DateTimeOffset At);

public sealed record PlanUpdated(PlanRank Rank, PlanDetails Plan, Actor By, DateTimeOffset At);

public sealed record PlanRemoved(PlanRank Rank, Actor By, DateTimeOffset At);

public sealed record CardPhotoAttached(PlanRank Rank, CardSide Side, Guid PhotoId, string ContentType, long Length, Actor By, DateTimeOffset At);

public sealed record PlanVerified(PlanRank Rank, Actor By, DateTimeOffset At);

public sealed record PlanReturned(PlanRank Rank, string Message, Actor By, DateTimeOffset At);

public sealed class InsurancePlan
{
    public PlanRank Rank { get; set; }
    public PlanDetails Details { get; set; } = null!;
    public Guid? FrontPhotoId { get; set; }
    public Guid? BackPhotoId { get; set; }
    public ReviewStatus Status { get; set; }
    public string? ReviewMessage { get; set; }
    public Actor? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }

    public Guid? PhotoId(CardSide side) => side == CardSide.Front ? FrontPhotoId : BackPhotoId;
}

/// <summary>The current state of one client's insurance, folded from their stream (kept inline as a snapshot).</summary>
public sealed class ClientInsurance
{
    public Guid Id { get; set; }
    public long Version { get; set; }
    public InsurancePlan? Primary { get; set; }
    public InsurancePlan? Secondary { get; set; }
    public Actor? LastUpdatedBy { get; set; }
    public DateTimeOffset? LastUpdatedAt { get; set; }

    public InsurancePlan? Plan(PlanRank rank) => rank == PlanRank.Primary ? Primary : Secondary;

    public void Apply(PlanAdded e) =>
        Set(e.Rank, new InsurancePlan { Rank = e.Rank, Details = e.Plan, Status = StatusAfterChangeBy(e.By) }, e.By, e.At);

    public void Apply(PlanUpdated e)
    {
        var plan = Plan(e.Rank) ?? new InsurancePlan { Rank = e.Rank };
        plan.Details = e.Plan;
        plan.Status = StatusAfterChangeBy(e.By);
        plan.ReviewMessage = null;
        Set(e.Rank, plan, e.By, e.At);
    }

    public void Apply(PlanRemoved e) => Set(e.Rank, null, e.By, e.At);

    public void Apply(CardPhotoAttached e)
    {
        var plan = Plan(e.Rank);
        if (plan is null) return;
        if (e.Side == CardSide.Front) plan.FrontPhotoId = e.PhotoId;
        else plan.BackPhotoId = e.PhotoId;
        plan.Status = StatusAfterChangeBy(e.By);
        Set(e.Rank, plan, e.By, e.At);
    }

    public void Apply(PlanVerified e)
    {
        if (Plan(e.Rank) is not { } plan) return;
        plan.Status = ReviewStatus.Verified;
        plan.ReviewMessage = null;
        plan.ReviewedBy = e.By;
        plan.ReviewedAt = e.At;
    }

    public void Apply(PlanReturned e)
    {
        if (Plan(e.Rank) is not { } plan) return;
        plan.Status = ReviewStatus.ReturnedToClient;
        plan.ReviewMessage = e.Message;
        plan.ReviewedBy = e.By;
        plan.ReviewedAt = e.At;
    }

    /// <summary>What the client enters awaits review; what the provider enters themselves needs no review.</summary>
    private static ReviewStatus StatusAfterChangeBy(Actor actor) =>
        actor.Kind == ActorKind.Client ? ReviewStatus.AwaitingReview : ReviewStatus.Verified;

    private void Set(PlanRank rank, InsurancePlan? plan, Actor by, DateTimeOffset at)
    {
        if (rank == PlanRank.Primary) Primary = plan;
        else Secondary = plan;
        LastUpdatedBy = by;
        LastUpdatedAt = at;
    }
}
