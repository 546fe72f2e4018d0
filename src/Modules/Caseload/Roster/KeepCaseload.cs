using Portal.BuildingBlocks.Concurrency;
using Portal.Contracts;

namespace Portal.Caseload.Roster;

/// <summary>
/// Keeps each client's caseload row current from the messages the other modules publish: the roster, the account
/// and invitation messages, the tasks requested and closed, and what the client did through the portal. Messages
/// may arrive in any order and more than once (each module's queue retries): every change is idempotent, and the
/// row is edited under a lock on the client id, so two handlers never overwrite each other.
/// </summary>
public static class KeepCaseloadHandler
{
    public static Task Handle(ClientRosterChanged change, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, change.ClientId, row => row.ApplyRoster(change), cancellation);

    public static Task Handle(ClientAccountStatusChanged change, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, change.ClientId, row =>
        {
            if (row.AccountStatusAt is { } known && known > change.At) return;
            row.AccountActive = change.HasActiveAccount;
            row.AccountStatusAt = change.At;
            if (change.HasActiveAccount) row.Did("Activated their portal account", change.At);
        }, cancellation);

    public static Task Handle(ClientAccountLockChanged change, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, change.ClientId, row => row.LockChanged(change), cancellation);

    /// <summary>
    /// The invitations one Invitations transaction issued (up to 500 clients of a bulk assignment): every client's row
    /// in this one transaction, like <see cref="TasksRequested"/>. The later expiry wins, whatever order they arrive in.
    /// </summary>
    public static Task Handle(InvitationsIssued issued, IDocumentSession session, CancellationToken cancellation) =>
        EditManyAsync(session, issued.Invitations, i => i.ClientId, (row, invitations) =>
        {
            var expiresAt = invitations.Max(i => i.ExpiresAt);
            if (row.InvitationExpiresAt is null || row.InvitationExpiresAt < expiresAt) row.InvitationExpiresAt = expiresAt;
            var issuedAt = invitations.Max(i => i.IssuedAt);
            if (row.InvitationIssuedAt is null || row.InvitationIssuedAt < issuedAt) row.InvitationIssuedAt = issuedAt;
        }, cancellation);

    /// <summary>
    /// Three wrong dates of birth closed the client's link: "Activation blocked" until the provider's new invitation (an
    /// <see cref="InvitationsIssued"/> issued after the block, which may arrive before this message).
    /// </summary>
    public static Task Handle(ActivationBlocked blocked, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, blocked.ClientId, row =>
        {
            if (row.ActivationBlockedAt is null || row.ActivationBlockedAt < blocked.At) row.ActivationBlockedAt = blocked.At;
        }, cancellation);

    public static Task Handle(EmailAddressChanged change, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, change.ClientId, row => row.Did("Changed their login email", change.At), cancellation);

    /// <summary>
    /// The tasks one Intake transaction opened (a workflow assigned to up to 500 clients): every client's row in this
    /// one transaction.
    /// </summary>
    public static Task Handle(TasksRequested tasks, IDocumentSession session, CancellationToken cancellation) =>
        EditManyAsync(session, tasks.Tasks, t => t.ClientId, (row, requested) =>
        {
            foreach (var task in requested) row.Requested(task);
        }, cancellation);

    public static Task Handle(TaskClosed closed, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, closed.ClientId, row => row.Closed(closed), cancellation);

    public static Task Handle(AssignmentCompleted completed, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, completed.ClientId, row =>
        {
            if (row.CompletedAssignments.Contains(completed.AssignmentId)) return;
            row.CompletedAssignments.Add(completed.AssignmentId);
            row.LastAssignmentCompleted = completed.WorkflowName;
        }, cancellation);

    public static Task Handle(InsuranceChanged change, IDocumentSession session, CancellationToken cancellation) =>
        ClientDidAsync(session, change.ClientId, change.Actor, change.Change switch
        {
            InsuranceChange.Added => $"Added {Rank(change.Rank)} insurance",
            InsuranceChange.Removed => $"Removed {Rank(change.Rank)} insurance",
            _ => $"Updated {Rank(change.Rank)} insurance",
        }, change.At, cancellation);

    public static Task Handle(AutopayChanged change, IDocumentSession session, CancellationToken cancellation) =>
        ClientDidAsync(session, change.ClientId, change.Actor, change.Change switch
        {
            AutopayChange.Enrolled => "Enrolled in autopay",
            AutopayChange.CardUpdated => "Updated their autopay card",
            AutopayChange.Cancelled => "Cancelled autopay",
            _ => "Autopay suspended",
        }, change.At, cancellation);

    public static Task Handle(ConsentFormSigned signed, IDocumentSession session, CancellationToken cancellation) =>
        ClientDidAsync(session, signed.ClientId, signed.Actor, $"Signed {signed.DocumentTitle}", signed.At, cancellation);

    public static Task Handle(IntakeFormCompleted completed, IDocumentSession session, CancellationToken cancellation) =>
        ClientDidAsync(session, completed.ClientId, completed.Actor, $"Completed {completed.FormTitle}", completed.At, cancellation);

    /// <summary>Which questionnaire, never the score, severity or answers.</summary>
    public static Task Handle(AssessmentCompleted completed, IDocumentSession session, CancellationToken cancellation) =>
        ClientDidAsync(session, completed.ClientId, completed.Actor, $"Completed the {Instrument(completed.Instrument)}", completed.At, cancellation);

    /// <summary>A safety answer: the row gets its badge until the acknowledgement arrives (in either order).</summary>
    public static Task Handle(SafetyFlagRaised raised, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, raised.ClientId, row => row.SafetyFlagRaised(raised.EventId), cancellation);

    public static Task Handle(
        SafetyFlagAcknowledged acknowledged, IDocumentSession session, CancellationToken cancellation) =>
        EditAsync(session, acknowledged.ClientId, row => row.SafetyFlagAcknowledged(acknowledged.FlagId), cancellation);

    /// <summary>
    /// What the client did ("Last Updated"), the one edit of every task a client completes: sent with the commit as two
    /// statements, the row's edit lock and an upsert that sets only the two activity fields (the later action wins, as in
    /// <see cref="CaseloadClient.Did"/>), instead of locking, reading and rewriting the whole row. Under the same lock as
    /// every other edit of the row, so an edit that read the row before holds the lock until it commits, and this one then
    /// changes the row that edit wrote.
    /// </summary>
    private static Task ClientDidAsync(
        IDocumentSession session, Guid clientId, Actor actor, string what, DateTimeOffset at, CancellationToken cancellation)
    {
        if (actor.Kind != ActorKind.Client) return Task.CompletedTask;
        // A contact acting for the client (a parent) is named: the provider sees who did it.
        if (actor.ContactName is { } contact) what = $"{what}, by {contact} ({actor.Relationship})";
        // A row not yet known (the roster's message still on its way) starts with the action alone, as EditAsync would.
        var fresh = new CaseloadClient { Id = clientId };
        fresh.Did(what, at);
        EditLock.QueueLock<CaseloadClient>(session, clientId);
        session.QueueSqlCommand(ClientDidSql,
            clientId, session.DocumentStore.Options.Serializer().ToJson(fresh), Guid.NewGuid(), typeof(CaseloadClient).FullName!,
            fresh.ProviderId, fresh.PracticeId, fresh.SortName, fresh.FullName, fresh.EmailKey, at.ToUniversalTime());
        return Task.CompletedTask;
    }

    private const string ClientDidSql = """
        insert into caseload.mt_doc_caseloadclient as row
            (id, data, mt_version, mt_dotnet_type, mt_last_modified, provider_id, practice_id, sort_name, full_name, email_key,
             last_activity_at)
        values (?, ?::jsonb, ?, ?, transaction_timestamp(), ?, ?, ?, ?, ?, ?)
        on conflict (id) do update set
            data = jsonb_set(jsonb_set(row.data, '{LastActivityAt}', excluded.data -> 'LastActivityAt'), '{LastActivity}', excluded.data -> 'LastActivity'),
            last_activity_at = excluded.last_activity_at,
            mt_version = excluded.mt_version,
            mt_last_modified = excluded.mt_last_modified
        where row.last_activity_at is null or row.last_activity_at <= excluded.last_activity_at
        """;

    private static string Rank(PlanRank rank) => rank == PlanRank.Primary ? "primary" : "secondary";

    private static string Instrument(string instrument) => instrument.ToLowerInvariant() switch
    {
        "phq9" => "PHQ-9",
        "gad7" => "GAD-7",
        "pcl5" => "PCL-5",
        _ => instrument.ToUpperInvariant(),
    };

    /// <summary>Many clients' rows in one transaction: all locked first in one round trip (in key order), loaded in one query.</summary>
    private static async Task EditManyAsync<TItem>(IDocumentSession session, IEnumerable<TItem> items, Func<TItem, Guid> clientOf,
        Action<CaseloadClient, IReadOnlyList<TItem>> change, CancellationToken cancellation)
    {
        var byClient = items.GroupBy(clientOf).ToList();
        await EditLock.LockManyAsync<CaseloadClient>(session, byClient.Select(g => g.Key), cancellation);
        var rows = (await session.LoadManyAsync<CaseloadClient>(cancellation, byClient.Select(g => g.Key).ToArray())).ToDictionary(r => r.Id);
        foreach (var client in byClient)
        {
            var row = rows.GetValueOrDefault(client.Key) ?? new CaseloadClient { Id = client.Key };
            change(row, client.ToList());
            session.Store(row);
        }
    }

    private static async Task EditAsync(IDocumentSession session, Guid clientId, Action<CaseloadClient> change, CancellationToken cancellation)
    {
        var row = await EditLock.LoadLockedAsync<CaseloadClient>(session, clientId, cancellation) ?? new CaseloadClient { Id = clientId };
        change(row);
        session.Store(row);
    }
}
