namespace Portal.Contracts;

/// <summary>
/// Tasks were requested of clients, together: the Intake module publishes every <see cref="TaskRequested"/> that one
/// transaction opened (a workflow assigned to up to 500 clients, a stage started, a scheduled assessment) as one
/// message, at most <see cref="MaxTasks"/> tasks each, so a bulk assignment costs its handlers a few transactions
/// instead of one per task. This is the only message that announces tasks: the Invitations module invites an eligible
/// client who has no account yet, the Caseload module counts the tasks.
/// </summary>
public sealed record TasksRequested(Guid BatchId, IReadOnlyList<TaskRequested> Tasks)
{
    public const int MaxTasks = 500;
}

/// <summary>
/// Tasks of one <see cref="TasksRequested"/> batch were asked of a client whose portal is eligible and whose account is
/// active (a client without an account gets the invitation instead, never both): the Invitations module decides, under
/// the client's edit lock, and Notifications emails the client once per batch. Only the kinds travel, never the
/// titles: a provider's title can name a health matter ("PHQ-9", "Consent for substance use treatment"). Also published
/// for an eligible record whose client has no account when a contact's login acts for it (<see cref="TellClient"/> false).
/// </summary>
public sealed record ClientTasksRequested(Guid BatchId, Guid ClientId, Guid ProviderId, IReadOnlyList<TaskKind> Kinds,
    DateTimeOffset RequestedAt)
{
    /// <summary>
    /// Whether the client is emailed (they have an active account). False when only the record's contacts are told: a
    /// minor without a login of their own, whose parent acts for them (Notifications picks the contacts who receive emails).
    /// </summary>
    public bool TellClient { get; init; } = true;
}
