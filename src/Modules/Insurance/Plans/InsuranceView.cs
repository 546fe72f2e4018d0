using Portal.Contracts;
using Portal.Insurance.Roster;

namespace Portal.Insurance.Plans;

internal sealed record ActorView(string Kind, string Name)
{
    public static ActorView From(Actor actor) => new(actor.Kind.ToString().ToLowerInvariant(), actor.DisplayName);

    /// <summary>"you", "your provider, Pat Provider": how a page names who made a change.</summary>
    public string Describe(bool forClient) => (Kind, forClient) switch
    {
        ("client", true) => "you",
        ("client", false) => $"the client ({Name})",
        ("provider", true) => $"your provider ({Name})",
        ("provider", false) => $"provider {Name}",
        _ => Name.Length > 0 ? Name : Kind,
    };
}

internal sealed record LastUpdatedView(DateTimeOffset At, ActorView By);

internal sealed record SubscriberView(bool IsClient, string? Name, DateOnly? DateOfBirth, string? Relationship, string RelationshipLabel);

internal sealed record PlanView(string Rank, string PayerId, string PayerName, string PlanName, string MemberId, string? GroupNumber,
    SubscriberView Subscriber, string? FrontPhotoUrl, string? BackPhotoUrl, string Status, string? ReviewMessage)
{
    public string StatusLabel => Status switch
    {
        "awaiting-review" => "Awaiting review",
        "verified" => "Verified",
        "returned-to-client" => "Sent back for changes",
        _ => Status,
    };
}

internal sealed record HistoryView(DateTimeOffset At, ActorView By, string What);

/// <summary>A client's insurance as the client and their provider see it: plans, "Last Updated" and the full history.</summary>
internal sealed record InsuranceView(Guid ClientId, string ClientName, bool ClientHasActiveAccount, long Version, LastUpdatedView? LastUpdated,
    PlanView? Primary, PlanView? Secondary, IReadOnlyList<HistoryView> History)
{
    public static InsuranceView From(InsuranceClient card, ClientInsurance? insurance, IEnumerable<object> events) => new(
        card.Id, card.DisplayName, card.HasActiveAccount, insurance?.Version ?? 0,
        insurance is { LastUpdatedAt: { } at, LastUpdatedBy: { } by } ? new LastUpdatedView(at, ActorView.From(by)) : null,
        Plan(insurance?.Primary), Plan(insurance?.Secondary),
        events.Select(Describe).OfType<HistoryView>().Reverse().ToList());

    public static string PhotoUrl(Guid photoId) => $"/api/insurance/photos/{photoId}";

    private static PlanView? Plan(InsurancePlan? plan) => plan is null ? null : new PlanView(
        plan.Rank.Name(), plan.Details.PayerId, plan.Details.PayerName, plan.Details.PlanName, plan.Details.MemberId,
        plan.Details.GroupNumber,
        new SubscriberView(plan.Details.Subscriber.IsClient, plan.Details.Subscriber.Name, plan.Details.Subscriber.DateOfBirth,
            plan.Details.Subscriber.Relationship, Relationships.Label(plan.Details.Subscriber.Relationship)),
        plan.FrontPhotoId is { } front ? PhotoUrl(front) : null,
        plan.BackPhotoId is { } back ? PhotoUrl(back) : null,
        plan.Status switch
        {
            ReviewStatus.AwaitingReview => "awaiting-review",
            ReviewStatus.Verified => "verified",
            _ => "returned-to-client",
        },
        plan.ReviewMessage);

    private static HistoryView? Describe(object e) => e switch
    {
        PlanAdded a => new(a.At, ActorView.From(a.By), $"Added the {Rank(a.Rank)} plan ({a.Plan.PayerName}, {a.Plan.PlanName})"),
        PlanUpdated u => new(u.At, ActorView.From(u.By), $"Updated the {Rank(u.Rank)} plan ({u.Plan.PayerName}, {u.Plan.PlanName})"),
        PlanRemoved r => new(r.At, ActorView.From(r.By), $"Removed the {Rank(r.Rank)} plan"),
        CardPhotoAttached p => new(p.At, ActorView.From(p.By), $"Uploaded the {p.Side.ToString().ToLowerInvariant()} of the {Rank(p.Rank)} card"),
        PlanVerified v => new(v.At, ActorView.From(v.By), $"Verified the {Rank(v.Rank)} plan"),
        PlanReturned t => new(t.At, ActorView.From(t.By), $"Sent the {Rank(t.Rank)} plan back: {t.Message}"),
        _ => null,
    };

    private static string Rank(PlanRank rank) => rank.Name();
}
