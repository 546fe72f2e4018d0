using System.Diagnostics;
using JasperFx;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;
using Portal.Intake.Roster;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Portal.Intake.Migrating;

/// <summary>
/// Which running assignments of a workflow move to <see cref="ToVersion"/>: the ones named, or every one on
/// <see cref="FromVersion"/>, or (neither) every one on an older version; only those the caller may see.
/// <see cref="ExpectedVersions"/> are the stream versions a dry run reported: an assignment changed since is refused.
/// </summary>
public sealed record MigrateAssignmentsRequest(
    int ToVersion,
    IReadOnlyList<Guid>? AssignmentIds = null,
    int? FromVersion = null,
    bool DryRun = false,
    IReadOnlyDictionary<Guid, long>? ExpectedVersions = null);

internal sealed class MigrateAssignmentsValidator : AbstractValidator<MigrateAssignmentsRequest>
{
    public const int MaxAssignments = 1_000;

    public MigrateAssignmentsValidator()
    {
        RuleFor(r => r.ToVersion).GreaterThan(0).WithMessage("Name the version to move to (toVersion).");
        RuleFor(r => r.AssignmentIds)
            .Must(ids => ids is null || ids.Count > 0).WithMessage("Name at least one assignment, or leave assignmentIds out.")
            .Must(ids => ids is null || ids.Count <= MaxAssignments).WithMessage($"Move at most {MaxAssignments:N0} assignments at once.")
            .Must(ids => ids is null || ids.All(id => id != Guid.Empty)).WithMessage("An assignment id is empty.");
        RuleFor(r => r.FromVersion)
            .Must(v => v is null or > 0).WithMessage("fromVersion is a version number.")
            .Must((r, v) => v is null || r.AssignmentIds is null).WithMessage("Give assignmentIds or fromVersion, not both.")
            .Must((r, v) => v is null || v < r.ToVersion).WithMessage("Assignments move to a newer version: fromVersion must be older than toVersion.");
        RuleFor(r => r.ExpectedVersions)
            .Must(v => v is null || v.Count <= MaxAssignments).WithMessage($"At most {MaxAssignments:N0} expected versions.");
    }
}

/// <summary>One task in a migration's report: its key and title, its id when it was asked of the client, and why (skipped).</summary>
internal sealed record MigrationTaskView(string Key, string Title, Guid? TaskId, string? Reason = null);

/// <summary>
/// What the move does (dry run) or did to one assignment. <see cref="Outcome"/> is "moves" (dry run), "moved", or
/// "refused" with a <see cref="Code"/> (changed, notRunning, notOlder) and a sentence. <see cref="Version"/> is the
/// stream's version: pass it back as an expected version so a change in between is refused.
/// </summary>
internal sealed record AssignmentMigrationView(
    Guid AssignmentId,
    Guid ClientId,
    string ClientName,
    int? FromVersion,
    long Version,
    string Outcome,
    string? Code,
    string? Reason,
    IReadOnlyList<MigrationTaskView> StaysDone,
    IReadOnlyList<MigrationTaskView> StaysOpen,
    IReadOnlyList<MigrationTaskView> Opens,
    IReadOnlyList<MigrationTaskView> Dropped,
    IReadOnlyList<MigrationTaskView> Skipped,
    bool Completes);

internal sealed record MigrationResponse(
    Guid DefinitionId, int ToVersion, bool DryRun, int Moved, int Refused, IReadOnlyList<AssignmentMigrationView> Assignments);

/// <summary>
/// Moves running assignments to a newer published version of their workflow, tasks mapped by key
/// (<see cref="AssignmentProcess.Migrate"/>): a dry run lists per client what stays done, stays open, opens, is dropped and
/// is skipped by the new conditions; the move appends one <see cref="AssignmentMigrated"/> per stream, then the process
/// moves on. Up to 1,000 assignments a request, worked in chunks of <see cref="ChunkSize"/>, each chunk one Marten
/// session and one transaction (its messages in that transaction's outbox). An assignment changed since the dry run
/// (or meanwhile) is refused and reported; the others move. Audited once per request.
/// </summary>
public static class MigrateAssignmentsEndpoint
{
    public const int ChunkSize = 100;

    [WolverinePost("/api/workflows/{id}/migrations"), Authorize(Policy = PortalPolicies.Provider)]
    [EnableRateLimiting(IntakeModule.BulkAssignmentPolicy)]
    public static async Task<IResult> Post(Guid id, MigrateAssignmentsRequest request, HttpContext http, IDocumentSession session,
        OutboxedSessionFactory sessions, IWolverineRuntime runtime, TimeProvider clock, ILogger<IntakeModule> logger,
        CancellationToken cancellation) =>
        (await MigrateAsync(id, request, new MigrationContext(http, session, sessions, runtime, clock, logger), cancellation)).ToResult(http);

    internal sealed record MigrationContext(HttpContext Http, IDocumentSession Session, OutboxedSessionFactory Sessions,
        IWolverineRuntime Runtime, TimeProvider Clock, ILogger Logger);

    private sealed record Candidate(Guid AssignmentId, IntakeClient Client);

    internal static async Task<Outcome<MigrationResponse>> MigrateAsync(Guid id, MigrateAssignmentsRequest request,
        MigrationContext context, CancellationToken cancellation)
    {
        var (http, session, _, _, clock, logger) = context;
        var definition = await Definitions.Definitions.LoadOwnAsync(session, id, http.User, cancellation);
        if (definition is null) return Definitions.Definitions.NoSuchWorkflow(id);
        var target = definition.Versions.FirstOrDefault(v => v.Version == request.ToVersion);
        if (target is null)
            return new Refusal(StatusCodes.Status404NotFound, "No such version.", $"The workflow has no version {request.ToVersion}.");
        if (target.Status == DefinitionStatus.Draft)
            return Refusal.Conflict("The version is a draft.", $"Publish version {target.Version} before moving assignments to it.");

        var user = CurrentUser.From(http.User)!;
        var selected = await SelectAsync(session, definition, request, user, cancellation);
        if (!selected.Succeeded) return selected.Refusal;
        var candidates = selected.Value;

        var stages = await ResolvedStagesAsync(session, target.Content, cancellation);
        // Conditions on the client (billing, minor, language) in the tasks the move opens read the practice's day.
        var zone = await ClientAttributes.ZoneAsync(http.RequestServices.GetRequiredService<IPracticeLooks>(), definition.PracticeId,
            cancellation);
        var watch = Stopwatch.StartNew();
        var views = new List<AssignmentMigrationView>(candidates.Count);
        foreach (var chunk in candidates.Chunk(ChunkSize))
        {
            views.AddRange(request.DryRun
                ? await DryRunAsync(session, chunk, definition.Id, target.Version, stages, zone, user, clock.GetUtcNow(), cancellation)
                : await MoveChunkAsync(context, chunk, definition.Id, target.Version, stages, zone, request.ExpectedVersions, user, cancellation));
        }

        var moved = views.Count(v => v.Outcome is "moved" or "moves");
        var refused = views.Count - moved;
        logger.LogInformation("Workflow {DefinitionId}: {Verb} {Moved} assignments to version {Version}, {Refused} refused, in {Elapsed} ms",
            definition.Id, request.DryRun ? "dry run of" : "moved", moved, target.Version, refused, watch.ElapsedMilliseconds);
        var from = views.Select(v => v.FromVersion).Distinct().Order().Select(v => v?.ToString() ?? "none");
        Audit.Record(session, http, clock, request.DryRun ? "intake.workflow.migrate.dry-run" : "intake.workflow.migrate",
            nameof(WorkflowDefinition), definition.Id.ToString(),
            outcome: $"{moved} {(request.DryRun ? "would move" : "moved")}, {refused} refused; from version {string.Join("/", from)} to {target.Version}");
        return new MigrationResponse(definition.Id, target.Version, request.DryRun, moved, refused, views);
    }

    /// <summary>
    /// The named assignments (each must be of this workflow and visible to the caller: 404 naming the others), or the running
    /// ones on <c>fromVersion</c> (or any older version) the caller may see; more than 1,000 is a 400.
    /// </summary>
    private static async Task<Outcome<IReadOnlyList<Candidate>>> SelectAsync(IQuerySession session, WorkflowDefinition definition,
        MigrateAssignmentsRequest request, CurrentUser user, CancellationToken cancellation)
    {
        IReadOnlyList<(Guid Id, Guid ClientId)> found;
        if (request.AssignmentIds is { } named)
        {
            var ids = named.Distinct().ToArray();
            found = (await session.Query<IntakeAssignment>()
                    .Where(a => a.Id.IsOneOf(ids) && a.DefinitionId == definition.Id)
                    .Select(a => new AssignmentRef(a.Id, a.ClientId))
                    .ToListAsync(cancellation))
                .Select(a => (a.Id, a.ClientId)).ToList();
        }
        else
        {
            var query = session.Query<IntakeAssignment>()
                .Where(a => a.DefinitionId == definition.Id && a.Status == AssignmentStatus.Running);
            query = request.FromVersion is { } fromVersion
                ? query.Where(a => a.DefinitionVersion == fromVersion)
                : query.Where(a => a.DefinitionVersion < request.ToVersion);
            found = (await query.Select(a => new AssignmentRef(a.Id, a.ClientId)).ToListAsync(cancellation))
                .Select(a => (a.Id, a.ClientId)).ToList();
        }

        var clientIds = found.Select(a => a.ClientId).Distinct().ToArray();
        var cards = clientIds.Length == 0
            ? new Dictionary<Guid, IntakeClient>()
            : (await session.LoadManyAsync<IntakeClient>(cancellation, clientIds)).Where(c => c.IsVisibleTo(user)).ToDictionary(c => c.Id);
        var visible = found.Where(a => cards.ContainsKey(a.ClientId)).Select(a => new Candidate(a.Id, cards[a.ClientId])).ToList();

        if (request.AssignmentIds is { } asked && asked.Distinct().Except(visible.Select(v => v.AssignmentId)).ToList() is { Count: > 0 } missing)
            return new Refusal(StatusCodes.Status404NotFound, "No such assignment.",
                $"Not an assignment of this workflow you may see: {string.Join(", ", missing)}. Nothing was moved.");
        if (visible.Count > MigrateAssignmentsValidator.MaxAssignments)
            return Refusal.Invalid(request.FromVersion is null ? "toVersion" : "fromVersion",
                $"{visible.Count:N0} assignments match; move at most {MigrateAssignmentsValidator.MaxAssignments:N0} at once " +
                "(name them with assignmentIds, or narrow with fromVersion).");
        return visible;
    }

    private sealed record AssignmentRef(Guid Id, Guid ClientId);

    /// <summary>The new version's stages with task titles resolved, as an assignment started on it would carry them.</summary>
    private static async Task<IReadOnlyList<StageSpec>> ResolvedStagesAsync(IQuerySession session, WorkflowContent content,
        CancellationToken cancellation)
    {
        return await TaskPlaces.MapTasksAsync(content.Stages,
            async task => task with { Title = await WorkflowSubjects.TitleForAsync(session, task, cancellation) });
    }

    /// <summary>What the move would do, decided by the same code on a copy of each assignment; nothing is written.</summary>
    private static async Task<IEnumerable<AssignmentMigrationView>> DryRunAsync(IQuerySession session, Candidate[] chunk, Guid definitionId,
        int toVersion, IReadOnlyList<StageSpec> stages, TimeZoneInfo zone, CurrentUser user, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var ids = chunk.Select(c => c.AssignmentId).ToArray();
        var batch = session.CreateBatchQuery();
        var states = batch.LoadMany<IntakeAssignment>().ById(ids);
        var activities = batch.LoadMany<ClientActivity>().ById(chunk.Select(c => c.Client.Id).Distinct().ToArray());
        var versions = ids.ToDictionary(id => id, id => batch.Events.FetchStreamState(id));
        await batch.Execute(cancellation);
        var byId = (await states).ToDictionary(a => a.Id);
        var activityOf = (await activities).ToDictionary(a => a.Id);

        var views = new List<AssignmentMigrationView>(chunk.Length);
        foreach (var candidate in chunk)
        {
            var state = byId[candidate.AssignmentId];
            var version = (await versions[candidate.AssignmentId])?.Version ?? 0;
            if (NotMovable(state, definitionId, toVersion) is { } refusal)
            {
                views.Add(Refused(candidate, state, version, refusal));
                continue;
            }

            var process = AssignmentProcess.Continue(state, now, ClientAttributes.Of(candidate.Client, zone));
            process.Migrate(toVersion, stages, user.AsActor(), activityOf.GetValueOrDefault(candidate.Client.Id));
            views.Add(Report(candidate, state, process, version, "moves"));
        }

        return views;
    }

    /// <summary>
    /// Moves one chunk in its own session and transaction. Each stream is fetched for writing at the version the caller
    /// expects (if given); a stream that changed is refused and the rest go on. If a stream changes between its fetch and
    /// the commit, nothing of the chunk is written and it is tried again expecting the versions just read, so the one that
    /// changed is refused ("changed") and stays refused: each try refuses at least one more, and the others move.
    /// </summary>
    private static async Task<IEnumerable<AssignmentMigrationView>> MoveChunkAsync(MigrationContext context, Candidate[] chunk,
        Guid definitionId, int toVersion, IReadOnlyList<StageSpec> stages, TimeZoneInfo zone, IReadOnlyDictionary<Guid, long>? expected,
        CurrentUser user,
        CancellationToken cancellation)
    {
        var lastRead = new Dictionary<Guid, long>();
        var changed = new HashSet<Guid>();
        for (var attempt = 1; ; attempt++)
        {
            var bus = new MessageContext(context.Runtime);
            await using var session = context.Sessions.OpenSession(bus);
            // Under the clients' activity locks (see StartAssignments): a task the new version opens completes at once
            // if the client just did it, and a fact recorded meanwhile waits for this commit.
            var clientIds = chunk.Select(c => c.Client.Id).Distinct().ToArray();
            await EditLock.LockManyAsync<ClientActivity>(session, clientIds, cancellation);
            var activities = (await session.LoadManyAsync<ClientActivity>(cancellation, clientIds)).ToDictionary(a => a.Id);
            var now = context.Clock.GetUtcNow();

            var views = new List<AssignmentMigrationView>(chunk.Length);
            var processes = new List<AssignmentProcess>(chunk.Length);
            foreach (var candidate in chunk)
            {
                var stream = await session.Events.FetchForWriting<IntakeAssignment>(candidate.AssignmentId, cancellation);
                var state = stream.Aggregate!;
                var version = stream.StartingVersion ?? 0;
                long? wanted = expected is not null && expected.TryGetValue(candidate.AssignmentId, out var v) ? v
                    : lastRead.TryGetValue(candidate.AssignmentId, out var read) ? read : null;
                lastRead[candidate.AssignmentId] = version;
                // Past the number of tries that can refuse one more each, whatever still conflicts is refused too.
                if ((wanted is { } want && want != version) || changed.Contains(candidate.AssignmentId) || attempt > chunk.Length + 1)
                {
                    changed.Add(candidate.AssignmentId);
                    views.Add(Refused(candidate, state, version, ("changed",
                        $"The assignment changed since version {wanted ?? version} (now {version}) while it was being moved: " +
                        "run the dry run again to see what the move does now.")));
                    continue;
                }

                if (NotMovable(state, definitionId, toVersion) is { } refusal)
                {
                    views.Add(Refused(candidate, state, version, refusal));
                    continue;
                }

                var process = AssignmentProcess.Continue(state, now, ClientAttributes.Of(candidate.Client, zone));
                process.Migrate(toVersion, stages, user.AsActor(), activities.GetValueOrDefault(candidate.Client.Id));
                stream.AppendMany(process.Events);
                processes.Add(process);
                views.Add(Report(candidate, state, process, version + process.Events.Count, "moved"));
            }

            await processes.SendAsync(bus);
            try
            {
                await session.SaveChangesAsync(cancellation);
                return views;
            }
            catch (ConcurrencyException)
            {
                // Something appended to one of these streams after it was read: nothing of the chunk was written (one
                // transaction). The chunk again, refusing what changed since this try read it.
            }
        }
    }

    private static (string Code, string Reason)? NotMovable(IntakeAssignment state, Guid definitionId, int toVersion)
    {
        if (state.DefinitionId != definitionId) return ("otherWorkflow", "The assignment runs another workflow.");
        if (state.IsTerminal) return ("notRunning", $"The assignment is {state.Status.ToString().ToLowerInvariant()}: only a running one moves.");
        if (state.DefinitionVersion is { } on && on >= toVersion)
            return ("notOlder", $"The assignment runs version {on}; it moves only to a newer version.");
        return null;
    }

    private static AssignmentMigrationView Refused(Candidate candidate, IntakeAssignment state, long version, (string Code, string Reason) refusal) =>
        new(candidate.AssignmentId, candidate.Client.Id, candidate.Client.DisplayName, state.DefinitionVersion, version, "refused",
            refusal.Code, refusal.Reason, [], [], [], [], [], false);

    /// <summary>The report of one move, read off the state before and the events the process decided.</summary>
    private static AssignmentMigrationView Report(Candidate candidate, IntakeAssignment before, AssignmentProcess process, long version,
        string outcome)
    {
        var migrated = process.Events.OfType<AssignmentMigrated>().Single();
        MigrationTaskView View(MigratedTask t) =>
            new(t.Key, before.Tasks.First(b => b.Key == t.Key && b.TaskId == t.TaskId).Title, t.TaskId);
        var after = process.Events.SkipWhile(e => e is not AssignmentMigrated).Skip(1).ToList();
        return new AssignmentMigrationView(candidate.AssignmentId, candidate.Client.Id, candidate.Client.DisplayName, before.DefinitionVersion,
            version, outcome, null, null,
            [.. migrated.Tasks.Where(t => t.Outcome == MigratedTaskOutcome.StaysDone).Select(View)],
            [.. migrated.Tasks.Where(t => t.Outcome == MigratedTaskOutcome.StaysOpen).Select(View)],
            [.. after.OfType<AssignmentTaskRequested>().Select(r => new MigrationTaskView(r.Key, r.Title, r.TaskId))],
            [.. migrated.Tasks.Where(t => t.Outcome == MigratedTaskOutcome.Dropped).Select(t => View(t) with { Reason = IntakeAssignment.RemovedByNewVersion })],
            [.. after.OfType<AssignmentTaskSkipped>().Where(s => s.ByCondition).Select(s => new MigrationTaskView(s.Key, s.Title, null, s.Reason))],
            after.OfType<AssignmentFinished>().Any());
    }
}

/// <summary>How a move reads in the assignment's timeline and on its page.</summary>
internal static class AssignmentMigrations
{
    public static string Sentence(AssignmentMigrated moved, TimeZoneInfo zone) =>
        $"Moved from version {moved.FromVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} to {moved.ToVersion}" +
        $" by {moved.MigratedBy.DisplayName} on {PortalTime.Date(moved.At, zone)}";
}
