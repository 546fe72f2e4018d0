using Microsoft.Extensions.Configuration;
using Portal.Contracts;

namespace Portal.Forms.Safety;

/// <summary>
/// A safety answer (PHQ-9 item 9 above 0) waiting for its provider's follow-up. Raised with the assessment result, in
/// the same transaction (<c>Assessments/CompleteAssessment.cs</c>); open until the provider acknowledges it with a
/// note (<c>AcknowledgeSafetyFlag.cs</c>); escalated by email once if still open when its timer fires
/// (<c>EscalateSafetyFlag.cs</c>). Its id is the <see cref="SafetyFlagRaised.EventId"/>, which the other modules know.
/// </summary>
public sealed class SafetyFlag
{
    public Guid Id { get; set; }
    public Guid ClientId { get; set; }
    public Guid ProviderId { get; set; }
    public Guid PracticeId { get; set; }
    public string Instrument { get; set; } = string.Empty;
    public Guid ResultId { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public string? AcknowledgedByName { get; set; }
    public string? Note { get; set; }

    public bool IsOpen => AcknowledgedAt is null;

    /// <summary>
    /// The flag for a result just stored, its event for the other modules, and its escalation timer, all sent with
    /// the result's transaction (the caller's outbox): a flag is never stored without its timer, nor the reverse.
    /// </summary>
    internal static async Task RaiseAsync(IDocumentSession session, IMessageBus bus, SafetyFlagSettings settings,
        AssessmentResultFacts result, DateTimeOffset now)
    {
        var flag = new SafetyFlag
        {
            Id = Guid.CreateVersion7(),
            ClientId = result.ClientId,
            ProviderId = result.ProviderId,
            PracticeId = result.PracticeId,
            Instrument = result.Instrument,
            ResultId = result.ResultId,
            RaisedAt = now,
        };
        session.Insert(flag);
        await bus.PublishAsync(
            new SafetyFlagRaised(flag.Id, flag.ClientId, flag.ProviderId, flag.Instrument, flag.ResultId, now));
        var dueAt = now + settings.EscalateAfter;
        await bus.ScheduleAsync(new EscalateSafetyFlag(flag.Id, dueAt), dueAt);
    }
}

/// <summary>What a raised flag copies from its assessment result.</summary>
internal sealed record AssessmentResultFacts(
    Guid ResultId, Guid ClientId, Guid ProviderId, Guid PracticeId, string Instrument);

/// <summary>
/// <c>Portal:SafetyFlags:EscalateAfter</c> (a TimeSpan, default 4 hours): how long a flag may stay unacknowledged
/// before the provider is emailed again. Checked at start: zero or negative stops the host.
/// </summary>
public sealed record SafetyFlagSettings(TimeSpan EscalateAfter)
{
    public const string Key = "Portal:SafetyFlags:EscalateAfter";

    public static readonly TimeSpan DefaultEscalateAfter = TimeSpan.FromHours(4);

    public static SafetyFlagSettings From(IConfiguration configuration)
    {
        var text = configuration[Key];
        if (string.IsNullOrWhiteSpace(text)) return new(DefaultEscalateAfter);
        var parsed = TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var after);
        if (!parsed || after <= TimeSpan.Zero)
            throw new InvalidOperationException($"{Key} must be a positive time span such as 04:00:00; it is '{text}'.");
        return new(after);
    }
}

/// <summary>How the console and the profile show one flag: never the answers or the item's text.</summary>
internal sealed record SafetyFlagView(
    Guid FlagId, Guid ClientId, string ClientName, string Instrument, string InstrumentName, DateTimeOffset RaisedAt,
    DateTimeOffset? EscalatedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy, string? Note)
{
    public static SafetyFlagView Of(SafetyFlag flag, string clientName) => new(
        flag.Id, flag.ClientId, clientName, flag.Instrument,
        Assessments.Instruments.Find(flag.Instrument)?.Name ?? flag.Instrument, flag.RaisedAt, flag.EscalatedAt,
        flag.AcknowledgedAt, flag.AcknowledgedByName, flag.Note);
}
