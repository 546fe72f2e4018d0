namespace Portal.Forms.Assessments;

/// <summary>One completed assessment. Inserted once when the client submits it and never changed.</summary>
public sealed class AssessmentResult
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public string Instrument { get; set; } = string.Empty;
    public List<int> Answers { get; set; } = [];
    public int Score { get; set; }
    public string Severity { get; set; } = string.Empty;
    public bool SafetyFlag { get; set; }
    public Guid? ScheduleId { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>The language of the wording the client answered ("en", "es"): the provider reads it beside the score.</summary>
    public string Language { get; set; } = "en";
}
