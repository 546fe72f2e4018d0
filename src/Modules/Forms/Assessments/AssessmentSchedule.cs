namespace Portal.Forms.Assessments;

/// <summary>A provider's request that a client answer an instrument every <see cref="EveryWeeks"/> weeks.</summary>
public sealed class AssessmentSchedule
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public string Instrument { get; set; } = string.Empty;
    public int EveryWeeks { get; set; }
    public bool Active { get; set; }

    /// <summary>The occurrence last requested (1 = at once when the schedule was made).</summary>
    public int Occurrence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastRequestedAt { get; set; }
    public DateTimeOffset NextDueAt { get; set; }
}

/// <summary>The durable timer of a schedule: occurrence <see cref="Occurrence"/> is due. Stale timers are ignored.</summary>
public sealed record AssessmentRecurrenceDue(Guid ScheduleId, int Occurrence);
