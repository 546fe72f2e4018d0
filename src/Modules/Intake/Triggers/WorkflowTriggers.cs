using System.Text.Json.Serialization;
using Portal.BuildingBlocks.Auditing;
using Portal.Contracts;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Triggers;

/// <summary>A roster change that starts a published workflow by itself, written as the export format names it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkflowTrigger>))]
public enum WorkflowTrigger
{
    /// <summary>The practice added the client.</summary>
    [JsonStringEnumMemberName("clientAdded")] ClientAdded,

    /// <summary>The roster says the client became eligible for the portal.</summary>
    [JsonStringEnumMemberName("clientEligible")] ClientEligible,

    /// <summary>The client's billing changed to insurance (from self-pay or from not yet known).</summary>
    [JsonStringEnumMemberName("billingBecameInsurance")] BillingBecameInsurance,
}

/// <summary>
/// Starts the workflows whose published version carries a trigger that a roster change set off. The change is read by
/// comparing the client's copy before and after it (<see cref="Fired"/>), so a roster message delivered twice, or an
/// older one arriving late, sets nothing off. A workflow of the practice library fires for every client of the
/// practice; a clinician's own workflow for the clients they are primary or on the care team of. Nothing starts for a
/// discharged client, nor where the same workflow runs already.
/// </summary>
internal static class WorkflowTriggers
{
    /// <summary>Who a triggered assignment names as having started it (the definition's author's id beside it).</summary>
    public const string ActorName = "workflow trigger";

    /// <summary>What the client's copy was before a roster change, as triggers compare it.</summary>
    public sealed record Before(bool Known, bool Eligible, ClientBilling? Billing, long Version)
    {
        public static Before Of(IntakeClient? card) =>
            card is null ? new(false, false, null, 0) : new(true, card.Eligible, card.Billing, card.Version);
    }

    /// <summary>The triggers a change sets off: a transition from <paramref name="before"/> to the card as it is now.</summary>
    public static IReadOnlyList<WorkflowTrigger> Fired(Before before, IntakeClient after)
    {
        // Only a newer roster version changes anything; the same version again (a replay) or an older one does not.
        if (before.Known && after.Version <= before.Version) return [];
        var fired = new List<WorkflowTrigger>();
        if (!before.Known) fired.Add(WorkflowTrigger.ClientAdded);
        if (after.Eligible && !before.Eligible) fired.Add(WorkflowTrigger.ClientEligible);
        if (after.Billing == ClientBilling.Insurance && before.Billing != ClientBilling.Insurance)
            fired.Add(WorkflowTrigger.BillingBecameInsurance);
        return fired;
    }

    /// <summary>Whether the definition's published version starts for this client on one of <paramref name="fired"/>.</summary>
    public static bool Starts(WorkflowDefinition definition, IntakeClient client, IReadOnlyCollection<WorkflowTrigger> fired) =>
        definition.PracticeId == client.PracticeId
        && definition.Published?.Content.Triggers is { Count: > 0 } triggers
        && triggers.Any(fired.Contains)
        && (definition.InLibrary || client.ProviderId == definition.ProviderId || client.CareTeam.Contains(definition.ProviderId));

    /// <summary>Starts each workflow the change set off, once, in the roster handler's transaction.</summary>
    public static async Task StartAsync(IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks,
        Before before, IntakeClient client, CancellationToken cancellation)
    {
        if (client.Discharged) return;
        var fired = Fired(before, client);
        if (fired.Count == 0) return;

        var definitions = (await session.Query<WorkflowDefinition>().Where(d => d.PracticeId == client.PracticeId)
            .ToListAsync(cancellation)).Where(d => Starts(d, client, fired)).ToList();
        if (definitions.Count == 0) return;

        var ids = definitions.Select(d => (Guid?)d.Id).ToArray();
        var running = (await session.Query<IntakeAssignment>()
                .Where(a => a.ClientId == client.Id && a.Status == AssignmentStatus.Running && a.DefinitionId.IsOneOf(ids))
                .ToListAsync(cancellation))
            .Select(a => a.DefinitionId).ToHashSet();

        var now = clock.GetUtcNow();
        // "Minor" in a condition is decided in the practice's zone, as for an assignment made by hand.
        var zone = await ClientAttributes.ZoneAsync(looks, client.PracticeId, cancellation);
        foreach (var definition in definitions.Where(d => !running.Contains(d.Id)).OrderBy(d => d.Id))
        {
            var published = definition.Published!;
            var by = new Actor(ActorKind.System, definition.ProviderId, ActorName);
            var started = await StartAssignments.StartAsync(session, bus,
                new NewAssignments([client], published.Content, by, now) { DefinitionId = definition.Id, Version = published.Version, Zone = zone },
                cancellation);
            var why = string.Join(",", published.Content.Triggers!.Where(fired.Contains).Select(Name));
            foreach (var (assignmentId, clientId) in started)
                Audit.Record(session, null, clock, "intake.assignment.start", nameof(IntakeAssignment), assignmentId.ToString(), clientId,
                    outcome: $"trigger:{why}", actor: Trigger);
        }
    }

    /// <summary>The trigger as the export format writes it ("clientAdded").</summary>
    public static string Name(WorkflowTrigger trigger) => trigger switch
    {
        WorkflowTrigger.ClientAdded => "clientAdded",
        WorkflowTrigger.ClientEligible => "clientEligible",
        _ => "billingBecameInsurance",
    };

    /// <summary>The trigger in words, for the diagram and the builder: "when a client is added".</summary>
    public static string Words(WorkflowTrigger trigger) => trigger switch
    {
        WorkflowTrigger.ClientAdded => "when a client is added",
        WorkflowTrigger.ClientEligible => "when a client becomes eligible",
        _ => "when a client's billing changes to insurance",
    };

    /// <summary>The audit log's actor of a triggered start: the system, not a person.</summary>
    private static readonly CurrentUser Trigger = new("system", Guid.Empty, ActorName, null, null, null);
}
