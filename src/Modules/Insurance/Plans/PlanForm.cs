using Portal.Insurance.Payers;

namespace Portal.Insurance.Plans;

/// <summary>The plan form of the insurance pages (the client's and the provider's), posted as ordinary form fields.</summary>
public sealed class PlanForm
{
    public string Rank { get; set; } = "primary";

    public long ExpectedVersion { get; set; }

    public string? PayerId { get; set; }

    public string? OtherPayerName { get; set; }

    public string? PlanName { get; set; }

    public string? MemberId { get; set; }

    public string? GroupNumber { get; set; }

    /// <summary>"self" (the client holds the plan) or "other" (the client is a dependent of the plan holder).</summary>
    public string Holder { get; set; } = "self";

    public string? SubscriberName { get; set; }

    public DateOnly? SubscriberDateOfBirth { get; set; }

    public string? Relationship { get; set; }

    internal SavePlanRequest ToRequest() => new(ExpectedVersion, PayerId ?? string.Empty, OtherPayerName, PlanName ?? string.Empty,
        MemberId ?? string.Empty, GroupNumber,
        new SubscriberRequest(Holder != "other", SubscriberName, SubscriberDateOfBirth, Relationship));

    internal static PlanForm For(string rank, long version, PlanView? plan) => plan is null
        ? new PlanForm { Rank = rank, ExpectedVersion = version }
        : new PlanForm
        {
            Rank = rank,
            ExpectedVersion = version,
            PayerId = plan.PayerId,
            OtherPayerName = plan.PayerId == PayerDirectory.OtherId ? plan.PayerName : null,
            PlanName = plan.PlanName,
            MemberId = plan.MemberId,
            GroupNumber = plan.GroupNumber,
            Holder = plan.Subscriber.IsClient ? "self" : "other",
            SubscriberName = plan.Subscriber.Name,
            SubscriberDateOfBirth = plan.Subscriber.DateOfBirth,
            Relationship = plan.Subscriber.Relationship,
        };
}

/// <summary>
/// What the plan form partial needs: the values, the errors by field (JSON field names), and for whom. It posts to its
/// page's Save handler.
/// </summary>
internal sealed record PlanFormView(PlanForm Form, IReadOnlyDictionary<string, string[]> Errors, bool ForClient, bool HasPlan)
{
    public string Id(string field) => $"{Form.Rank}-{field}";

    public string? Error(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>"true" for aria-invalid when the field has an error, otherwise no attribute.</summary>
    public string? Invalid(string field) => Errors.ContainsKey(field) ? "true" : null;

    /// <summary>The error ids an input is described by, with its hint when it has one.</summary>
    public string Described(string field, string? hint = null) => hint is null ? Id($"{field}-error") : $"{Id(hint)} {Id($"{field}-error")}";

    public static IReadOnlyList<Payer> Payers => PayerDirectory.All;

    public static IReadOnlyDictionary<string, string> RelationshipLabels => Relationships.Labels;
}

/// <summary>The provider's review forms for one plan: mark verified, or send back with a message (and that message's error).</summary>
internal sealed record ReviewFormsView(Guid ClientId, long Version, PlanView Plan, string? Error);
