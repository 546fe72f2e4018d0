using System.Globalization;
using System.Text.Json.Serialization;
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

/// <summary>
/// One change as a sentence: <see cref="Template"/> (an English resource key with placeholders) and its values, so the
/// client's page says it in their language; <see cref="What"/> is the English sentence the provider and the API read.
/// </summary>
internal sealed record HistoryView(DateTimeOffset At, ActorView By, [property: JsonIgnore] string Template,
    [property: JsonIgnore] string[] Values)
{
    public string What => string.Format(CultureInfo.InvariantCulture, Template, Values);
}

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

    // One template per rank (and side): a translation never has to put a translated word into another sentence.
    private static HistoryView? Describe(object e) => e switch
    {
        PlanAdded a => new(a.At, ActorView.From(a.By),
            Ranked(a.Rank, "Added the primary plan ({0}, {1})", "Added the secondary plan ({0}, {1})"), [a.Plan.PayerName, a.Plan.PlanName]),
        PlanUpdated u => new(u.At, ActorView.From(u.By),
            Ranked(u.Rank, "Updated the primary plan ({0}, {1})", "Updated the secondary plan ({0}, {1})"), [u.Plan.PayerName, u.Plan.PlanName]),
        PlanRemoved r => new(r.At, ActorView.From(r.By), Ranked(r.Rank, "Removed the primary plan", "Removed the secondary plan"), []),
        CardPhotoAttached p => new(p.At, ActorView.From(p.By), p.Side == CardSide.Front
            ? Ranked(p.Rank, "Uploaded the front of the primary card", "Uploaded the front of the secondary card")
            : Ranked(p.Rank, "Uploaded the back of the primary card", "Uploaded the back of the secondary card"), []),
        PlanVerified v => new(v.At, ActorView.From(v.By), Ranked(v.Rank, "Verified the primary plan", "Verified the secondary plan"), []),
        PlanReturned t => new(t.At, ActorView.From(t.By),
            Ranked(t.Rank, "Sent the primary plan back: {0}", "Sent the secondary plan back: {0}"), [t.Message]),
        _ => null,
    };

    private static string Ranked(PlanRank rank, string primary, string secondary) => rank == PlanRank.Primary ? primary : secondary;
}
