using System.Text.Json.Serialization;
using Marten.Schema;
using Portal.Contracts;
using Weasel.Postgresql.Tables;

namespace Portal.Caseload.Roster;

/// <summary>
/// One row of the provider's caseload: the roster facts (a <see cref="ClientCard"/>), the portal account status,
/// the tasks requested of the client and what the client last did. Built only from the messages other modules
/// publish (see <c>Roster/KeepCaseload.cs</c>); the list reads it with one indexed query.
/// The lower-case <see cref="SortName"/>, <see cref="FullName"/> and <see cref="EmailKey"/> are duplicated into
/// columns for ordering and case-insensitive prefix search.
/// </summary>
[CaseloadIndexes]
public sealed class CaseloadClient : ClientCard
{
    /// <summary>"last first", lower case: the list's order, and a search by last name.</summary>
    public string SortName { get; set; } = string.Empty;

    /// <summary>"first last", lower case: a search by first name or by full name.</summary>
    public string FullName { get; set; } = string.Empty;

    public string EmailKey { get; set; } = string.Empty;

    /// <summary>From <see cref="ClientAccountStatusChanged"/> (the account module's word), when it has spoken.</summary>
    public bool? AccountActive { get; set; }
    public DateTimeOffset? AccountStatusAt { get; set; }

    public DateTimeOffset? InvitationExpiresAt { get; set; }

    /// <summary>
    /// From <see cref="ActivationBlocked"/> and <see cref="InvitationsIssued"/>: the latest block and the newest invitation.
    /// The client stays blocked until an invitation issued after the block, in whichever order the two arrive.
    /// </summary>
    public DateTimeOffset? ActivationBlockedAt { get; set; }
    public DateTimeOffset? InvitationIssuedAt { get; set; }

    [JsonIgnore]
    public bool IsActivationBlocked => ActivationBlockedAt is { } blocked && !(InvitationIssuedAt > blocked);

    /// <summary>From <see cref="ClientAccountLockChanged"/>: until when failed sign-ins locked the account (null: not locked).</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? LockChangedAt { get; set; }

    public List<CaseloadTask> Tasks { get; set; } = [];
    public List<Guid> CompletedAssignments { get; set; } = [];
    public string? LastAssignmentCompleted { get; set; }

    /// <summary>When and what the client last did through the portal ("Last Updated").</summary>
    public DateTimeOffset? LastActivityAt { get; set; }
    public string? LastActivity { get; set; }

    /// <summary>
    /// Safety flags (Forms') raised and not yet acknowledged: the list's badge. The acknowledged ones are remembered
    /// too, so an acknowledgement that overtakes its flag's raising leaves no badge behind.
    /// </summary>
    public List<Guid> OpenSafetyFlags { get; set; } = [];
    public List<Guid> AcknowledgedSafetyFlags { get; set; } = [];

    [JsonIgnore]
    public bool IsActive => AccountActive ?? HasActiveAccount;

    public void SafetyFlagRaised(Guid flagId)
    {
        if (!AcknowledgedSafetyFlags.Contains(flagId) && !OpenSafetyFlags.Contains(flagId)) OpenSafetyFlags.Add(flagId);
    }

    public void SafetyFlagAcknowledged(Guid flagId)
    {
        OpenSafetyFlags.Remove(flagId);
        if (!AcknowledgedSafetyFlags.Contains(flagId)) AcknowledgedSafetyFlags.Add(flagId);
    }

    public void ApplyRoster(ClientRosterChanged change)
    {
        if (!Apply(change)) return;
        SortName = $"{change.LastName} {change.FirstName}".Trim().ToLowerInvariant();
        FullName = $"{change.FirstName} {change.LastName}".Trim().ToLowerInvariant();
        EmailKey = change.Email.Trim().ToLowerInvariant();
    }

    public bool IsLocked(DateTimeOffset now) => IsActive && LockedUntil is { } until && until > now;

    /// <summary>Keeps the latest lock or unlock; an older one arriving late changes nothing.</summary>
    public void LockChanged(ClientAccountLockChanged change)
    {
        if (LockChangedAt is { } known && known > change.At) return;
        LockedUntil = change.LockedUntil;
        LockChangedAt = change.At;
    }

    /// <summary>Keeps the latest client action; an older one arriving late changes nothing.</summary>
    public void Did(string what, DateTimeOffset at)
    {
        if (LastActivityAt is { } last && last > at) return;
        LastActivityAt = at;
        LastActivity = what;
    }

    public void Requested(TaskRequested task)
    {
        var existing = Tasks.Find(t => t.TaskId == task.TaskId);
        if (existing is null)
        {
            Tasks.Add(new CaseloadTask { TaskId = task.TaskId, DueAt = task.DueAt, RequestedAt = task.RequestedAt });
            return;
        }
        // The close may have arrived first: keep it closed, fill in what only the request knows.
        existing.DueAt = task.DueAt;
        existing.RequestedAt = task.RequestedAt;
    }

    public void Closed(TaskClosed closed)
    {
        var existing = Tasks.Find(t => t.TaskId == closed.TaskId);
        if (existing is null)
        {
            existing = new CaseloadTask { TaskId = closed.TaskId };
            Tasks.Add(existing);
        }
        existing.Outcome = closed.Outcome;
    }
}

/// <summary>
/// What the list counts of one task: open (requested, not closed), overdue, next due, completed. Only that: every list
/// request reads each row of its page whole, and titles and dates nobody shows made the rows twice as long.
/// </summary>
public sealed class CaseloadTask
{
    public Guid TaskId { get; set; }
    public DateTimeOffset? RequestedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public TaskOutcome? Outcome { get; set; }

    [JsonIgnore]
    public bool IsOpen => Outcome is null && RequestedAt is not null;
}

/// <summary>
/// The caseload table's columns and indexes, all of them for the list's one query (Listing/ListCaseload.cs): name order,
/// Last Updated order and case-insensitive prefix search on the lower-case columns (a "starts with" range can use a
/// btree only under the C collation, whatever the database's own collation is), each twice: within a primary clinician
/// (a clinician's own clients, the clinician filter) and within a practice (what an owner, front desk or biller sees);
/// the care team, for a clinician's care-team clients; support's list of every client, in name or Last Updated order.
/// The duplicated columns get no index of their own beyond these: a client's Last Updated changes with every task they
/// complete, an update PostgreSQL cannot make in place (the column is indexed), so every index of the table takes a
/// new entry each time.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class CaseloadIndexesAttribute : MartenAttribute
{
    /// <summary>The columns a search matches the start of, each with its own C-collated prefix index.</summary>
    public static readonly string[] PrefixColumns = ["sort_name", "full_name", "email_key"];

    /// <summary>The two scopes a list is read in: one primary clinician's clients, one practice's.</summary>
    public static readonly string[] Scopes = ["provider_id", "practice_id"];

    public override void Modify(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(CaseloadClient.ProviderId), notNull: true);
        // Nullable so an existing table can take the column: Marten adds it and fills it from the documents, which it
        // cannot do for a NOT NULL column (the host would refuse to start).
        mapping.DuplicateField(nameof(CaseloadClient.PracticeId));
        mapping.DuplicateField(nameof(CaseloadClient.SortName), notNull: true);
        mapping.DuplicateField(nameof(CaseloadClient.FullName), notNull: true);
        mapping.DuplicateField(nameof(CaseloadClient.EmailKey), notNull: true);
        mapping.DuplicateField(nameof(CaseloadClient.LastActivityAt));

        foreach (var scope in Scopes)
        {
            // The provider's indexes keep the names they had before the practice's were added.
            var prefix = scope == "provider_id" ? "mt_doc_caseloadclient_idx" : "mt_doc_caseloadclient_idx_practice";
            mapping.Indexes.Add(new DocumentIndex(mapping, scope, "sort_name", "id") { Name = $"{prefix}_by_name" });
            mapping.Indexes.Add(new DocumentIndex(mapping, scope, "last_activity_at")
            {
                Name = $"{prefix}_by_update", SortOrder = SortOrder.Desc, NullsSortOrder = NullsSortOrder.Last,
            });
            // Covering: a search picks its page among the matches from these indexes alone (index-only scans), without
            // visiting every matching row.
            foreach (var column in PrefixColumns)
                mapping.Indexes.Add(new DocumentIndex(mapping, scope, column)
                {
                    Name = $"{prefix}_{column}_prefix", Collation = "C",
                    IncludeColumns = column == "sort_name" ? ["id", "last_activity_at"] : ["id", "sort_name", "last_activity_at"],
                });
        }
        // A clinician's care-team clients: "CareTeam contains me" (@>) on a small GIN index (most teams are empty).
        mapping.Indexes.Add(new DocumentIndex(mapping, "(data -> 'CareTeam')")
        {
            Name = "mt_doc_caseloadclient_idx_care_team", Method = IndexMethod.gin, Mask = "? jsonb_path_ops",
        });
        // Support's list spans every practice: its two orders.
        mapping.Indexes.Add(new DocumentIndex(mapping, "sort_name") { Name = "mt_doc_caseloadclient_idx_sort_name" });
        mapping.Indexes.Add(new DocumentIndex(mapping, "last_activity_at") { Name = "mt_doc_caseloadclient_idx_last_activity_at" });
    }
}
