using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;

namespace Portal.Intake.Migrating;

/// <summary>One running assignment on a version older than the published one, as the migration page lists it.</summary>
internal sealed record OlderAssignment(Guid AssignmentId, Guid ClientId, string ClientName, int? Version, string Stage);

/// <summary>
/// The running assignments that could move to a workflow's published version (<see cref="MigrateAssignmentsEndpoint"/>):
/// for the migration page's list and the workflows page's "Move running assignments" link. Only the clients the
/// member may see, as the move itself selects them.
/// </summary>
internal static class OlderAssignments
{
    /// <summary>Those of one workflow, by client name; at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<OlderAssignment>> ListAsync(IQuerySession session, WorkflowDefinition definition,
        CurrentUser user, int limit, CancellationToken cancellation)
    {
        if (definition.Published is not { } published) return [];
        var running = await session.Query<IntakeAssignment>()
            .Where(a => a.DefinitionId == definition.Id && a.Status == AssignmentStatus.Running && a.DefinitionVersion < published.Version)
            .ToListAsync(cancellation);
        var clients = await VisibleClientsAsync(session, running.Select(a => a.ClientId), user, cancellation);
        return
        [
            .. running.Where(a => clients.ContainsKey(a.ClientId))
                .Select(a => new OlderAssignment(a.Id, a.ClientId, clients[a.ClientId].DisplayName, a.DefinitionVersion, StageOf(a)))
                .OrderBy(a => a.ClientName, StringComparer.CurrentCultureIgnoreCase).ThenBy(a => a.AssignmentId)
                .Take(limit),
        ];
    }

    /// <summary>How many such assignments each of these workflows has (only those with some).</summary>
    public static async Task<IReadOnlyDictionary<Guid, int>> CountsAsync(IQuerySession session,
        IReadOnlyList<WorkflowDefinition> definitions, CurrentUser user, CancellationToken cancellation)
    {
        var published = definitions.Where(d => d.Published is not null).ToDictionary(d => d.Id, d => d.Published!.Version);
        if (published.Count == 0) return new Dictionary<Guid, int>();
        var ids = published.Keys.Select(id => (Guid?)id).ToArray();
        var running = (await session.Query<IntakeAssignment>()
                .Where(a => a.Status == AssignmentStatus.Running && a.DefinitionId.IsOneOf(ids))
                .Select(a => new RunningRef(a.DefinitionId, a.DefinitionVersion, a.ClientId))
                .ToListAsync(cancellation))
            .Where(a => a.DefinitionId is { } id && a.DefinitionVersion < published[id])
            .ToList();
        var clients = await VisibleClientsAsync(session, running.Select(a => a.ClientId), user, cancellation);
        return running.Where(a => clients.ContainsKey(a.ClientId))
            .GroupBy(a => a.DefinitionId!.Value)
            .ToDictionary(g => g.Key, g => g.Count());
    }

    private sealed record RunningRef(Guid? DefinitionId, int? DefinitionVersion, Guid ClientId);

    /// <summary>"Stage 2: Paperwork", or "Not started" before the first stage opens.</summary>
    private static string StageOf(IntakeAssignment assignment) =>
        assignment.CurrentStage >= 0 && assignment.CurrentStage < assignment.Stages.Count
            ? $"Stage {assignment.CurrentStage + 1}: {assignment.Stages[assignment.CurrentStage].Name}"
            : "Not started";

    private static async Task<Dictionary<Guid, IntakeClient>> VisibleClientsAsync(IQuerySession session, IEnumerable<Guid> clientIds,
        CurrentUser user, CancellationToken cancellation)
    {
        var ids = clientIds.Distinct().ToArray();
        if (ids.Length == 0) return [];
        var cards = await session.Query<IntakeClient>().VisibleTo(user).Where(c => c.Id.IsOneOf(ids)).ToListAsync(cancellation);
        return cards.ToDictionary(c => c.Id);
    }
}
