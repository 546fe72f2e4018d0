using Marten.Patching;
using Portal.Contracts;
using Wolverine.Persistence;

namespace Portal.Forms.Assessments;

/// <summary>Ask the client to answer <see cref="Instrument"/> now and then every <see cref="EveryWeeks"/> weeks.</summary>
public sealed record ScheduleAssessmentRequest(string? Instrument, int EveryWeeks);

internal sealed class ScheduleAssessmentValidator : AbstractValidator<ScheduleAssessmentRequest>
{
    public ScheduleAssessmentValidator()
    {
        RuleFor(r => r.Instrument).Must(code => Instruments.Find(code) is not null)
            .WithMessage($"Choose one of: {string.Join(", ", Instruments.All.Select(i => i.Code))}.");
        RuleFor(r => r.EveryWeeks).InclusiveBetween(1, 52);
    }
}

internal sealed record ScheduleCreatedResponse(Guid ScheduleId, DateTimeOffset NextDueAt);

public static class ScheduleAssessmentEndpoint
{
    [WolverinePost("/api/clients/{clientId}/assessment-schedules"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid clientId, ScheduleAssessmentRequest request, HttpContext http, IDocumentSession session,
        IMessageBus bus, TimeProvider clock)
    {
        var outcome = await ScheduleAsync(clientId, request, new SliceContext(http, session, clock), bus);
        return outcome.ToResult(http, schedule => Results.Created($"/api/clients/{clientId}/assessments",
            new ScheduleCreatedResponse(schedule.Id, schedule.NextDueAt)));
    }

    /// <summary>
    /// Replaces any active schedule of the same instrument and asks Intake to start the schedule's assignment: its
    /// assessment task opens at once and repeats in the workflow engine (the one way tasks repeat).
    /// </summary>
    internal static async Task<Outcome<AssessmentSchedule>> ScheduleAsync(Guid clientId, ScheduleAssessmentRequest request, SliceContext context,
        IMessageBus bus)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        var card = await FormsAccess.ClientToAskAsync(context, clientId);
        if (card is null) return Refusal.NotFound("client");
        var instrument = Instruments.Find(request.Instrument)!;

        var existing = await session.Query<AssessmentSchedule>()
            .Where(s => s.ClientId == clientId && s.Instrument == instrument.Code && s.Active).ToListAsync(cancellation);
        var now = context.Clock.GetUtcNow();
        foreach (var old in existing)
        {
            old.Active = false;
            session.Store(old);
            await bus.PublishAsync(new AssessmentScheduleStopped(Guid.CreateVersion7(), old.Id, clientId, now));
        }

        var schedule = new AssessmentSchedule
        {
            Id = Guid.CreateVersion7(),
            ClientId = clientId,
            ProviderId = card.ProviderId,
            Instrument = instrument.Code,
            EveryWeeks = request.EveryWeeks,
            Active = true,
            CreatedAt = now,
        };
        await RecurAssessmentHandler.RequestOccurrenceAsync(schedule, 1, instrument, bus, now);
        session.Store(schedule);
        context.Audit("forms.assessment.schedule", nameof(AssessmentSchedule), schedule.Id.ToString(), clientId);
        return Outcome<AssessmentSchedule>.Ok(schedule, StatusCodes.Status201Created);
    }
}

public static class StopAssessmentScheduleEndpoint
{
    [WolverineDelete("/api/clients/{clientId}/assessment-schedules/{scheduleId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Delete(Guid clientId, Guid scheduleId, HttpContext http, IDocumentSession session, TimeProvider clock,
        IMessageBus bus) =>
        (await StopAsync(clientId, scheduleId, new SliceContext(http, session, clock), bus)).ToResult(http);

    /// <summary>Stops the schedule (the console page calls this too); 404 when it is not the caller's to stop.</summary>
    internal static async Task<Outcome<AssessmentSchedule>> StopAsync(Guid clientId, Guid scheduleId, SliceContext context,
        IMessageBus bus)
    {
        var card = await FormsAccess.VisibleClientAsync(context, clientId);
        var schedule = await context.Session.LoadAsync<AssessmentSchedule>(scheduleId, context.Cancellation);
        if (card is null || schedule is null || schedule.ClientId != clientId) return Refusal.NotFound("schedule");
        schedule.Active = false;
        context.Session.Store(schedule);
        await bus.PublishAsync(new AssessmentScheduleStopped(Guid.CreateVersion7(), schedule.Id, clientId, context.Clock.GetUtcNow()));
        context.Audit("forms.assessment.unschedule", nameof(AssessmentSchedule), schedule.Id.ToString(), clientId);
        return Outcome<AssessmentSchedule>.Ok(schedule, StatusCodes.Status204NoContent);
    }
}

/// <summary>
/// Schedules used to repeat here, one durable timer per occurrence. Timers armed before the workflow engine repeated
/// tasks still fire: each hands its active schedule over to Intake (which starts the schedule's repeating assignment
/// once) and arms no further timer.
/// </summary>
public static class RecurAssessmentHandler
{
    public static async Task Handle(AssessmentRecurrenceDue due,
        [Entity(nameof(AssessmentRecurrenceDue.ScheduleId), Required = false)] AssessmentSchedule? schedule,
        IDocumentSession session, IMessageBus bus, TimeProvider clock)
    {
        if (schedule is not { Active: true } || schedule.Occurrence != due.Occurrence - 1) return;
        var instrument = Instruments.Find(schedule.Instrument);
        if (instrument is null) return;
        await RequestOccurrenceAsync(schedule, due.Occurrence, instrument, bus, clock.GetUtcNow());
        session.Store(schedule);
    }

    internal static async Task RequestOccurrenceAsync(
        AssessmentSchedule schedule, int occurrence, Instrument instrument, IMessageBus bus, DateTimeOffset now)
    {
        schedule.Occurrence = occurrence;
        schedule.LastRequestedAt = now;
        schedule.NextDueAt = now.AddDays(7 * schedule.EveryWeeks);
        await bus.PublishAsync(new AssessmentRequested(Guid.CreateVersion7(), schedule.Id, schedule.ClientId, schedule.ProviderId,
            instrument.Code, $"Complete the {instrument.Title}", occurrence, schedule.EveryWeeks, now));
    }
}

/// <summary>
/// Keeps a schedule's occurrence and next due date current as Intake's engine opens each occurrence of the schedule's
/// repeating task. Only those three fields are written, and only forward: a late or redelivered message for an earlier
/// occurrence changes nothing, and a stop saved meanwhile is never overwritten.
/// </summary>
public static class AssessmentOccurrenceOpenedHandler
{
    public static void Handle(AssessmentOccurrenceOpened message, IDocumentSession session) =>
        session.Patch<AssessmentSchedule>(s => s.Id == message.ScheduleId && s.Occurrence <= message.Occurrence)
            .Set(s => s.Occurrence, message.Occurrence)
            .Set(s => s.LastRequestedAt, message.OpenedAt)
            .Set(s => s.NextDueAt, message.DueAt ?? message.OpenedAt);
}
