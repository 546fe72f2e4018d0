using Portal.Contracts;
using Portal.Forms.Roster;
using Portal.Forms.Safety;

namespace Portal.Forms.Assessments;

/// <summary>A client's answers to an instrument, one point value per item, in order.</summary>
public sealed record CompleteAssessmentRequest(int[]? Answers)
{
    /// <summary>The language of the wording the client read ("en", "es"); their own language when not given.</summary>
    public string? Language { get; init; }
}

internal sealed class CompleteAssessmentValidator : AbstractValidator<CompleteAssessmentRequest>
{
    public CompleteAssessmentValidator()
    {
        RuleFor(r => r.Answers).NotNull().WithMessage("Answer every question.");
        RuleFor(r => r.Answers!.Length).LessThanOrEqualTo(100).When(r => r.Answers is not null).OverridePropertyName("answers");
        RuleFor(r => r.Language).Must(Portal.BuildingBlocks.Localization.PortalLanguages.IsSupported).When(r => r.Language is not null)
            .WithMessage("Choose one of the portal's languages: en, es.");
    }
}

internal sealed record AssessmentCompletedResponse(Guid ResultId, string Instrument);

public static class CompleteAssessmentEndpoint
{
    [WolverinePost("/api/portal/assessments/{instrument}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Post(string instrument, CompleteAssessmentRequest request, HttpContext http, IDocumentSession session,
        IMessageBus bus, TimeProvider clock, SafetyFlagSettings safety)
    {
        var context = new SliceContext(http, session, clock);
        var outcome = await CompleteAsync(instrument, request.Answers, context, bus, safety, request.Language);
        return outcome.ToResult(http, result => Results.Created($"/api/portal/assessments/results/{result.Id}",
            new AssessmentCompletedResponse(result.Id, result.Instrument)));
    }

    /// <summary>
    /// Scores the answers, stores the result once, and publishes <see cref="AssessmentCompleted"/>; a safety item
    /// answered above 0 also raises a <see cref="SafetyFlag"/> (published as <see cref="SafetyFlagRaised"/>, with its
    /// escalation timer) in the same transaction, whatever the total.
    /// </summary>
    internal static async Task<Outcome<AssessmentResult>> CompleteAsync(
        string code, IReadOnlyList<int>? answers, SliceContext context, IMessageBus bus, SafetyFlagSettings safety, string? language = null)
    {
        var (session, cancellation) = (context.Session, context.Cancellation);
        var instrument = Instruments.Find(code);
        if (instrument is null || context.User is not { IsClient: true, ClientId: { } clientId } user)
            return Refusal.NotFound("assessment");

        // The client's card and the schedule this answers, in one round trip to the database.
        var batch = session.CreateBatchQuery();
        var cardLoad = batch.Load<FormsClient>(clientId);
        var scheduleQuery = batch.Query<AssessmentSchedule>()
            .Where(s => s.ClientId == clientId && s.Instrument == instrument.Code && s.Active)
            .FirstOrDefault();
        await batch.Execute(cancellation);
        var card = await cardLoad;
        if (card is null) return Refusal.NotFound("assessment");
        var schedule = await scheduleQuery;

        var errors = instrument.Check(answers);
        if (errors.Count > 0)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["answers"] = [.. errors] });

        var score = instrument.Score(answers!);
        var now = context.Clock.GetUtcNow();
        var result = new AssessmentResult
        {
            Id = Guid.CreateVersion7(),
            ClientId = card.Id,
            ProviderId = card.ProviderId,
            PracticeId = card.PracticeId,
            Instrument = instrument.Code,
            Answers = [.. answers!],
            Score = score.Total,
            Severity = score.Severity,
            SafetyFlag = score.SafetyFlag,
            ScheduleId = schedule?.Id,
            CompletedAt = now,
            // The wording that was read: the one asked for, else the client's own language (English where no translation).
            Language = instrument.LanguageOf(language ?? card.Language),
        };
        session.Insert(result);
        context.Audit("forms.assessment.complete", nameof(AssessmentResult), result.Id.ToString(), card.Id);

        var actor = user.AsActor();
        if (score.SafetyFlag)
            await SafetyFlag.RaiseAsync(session, bus, safety,
                new AssessmentResultFacts(result.Id, card.Id, card.ProviderId, card.PracticeId, instrument.Code), now);
        await bus.PublishAsync(new AssessmentCompleted(Guid.CreateVersion7(), card.Id, card.ProviderId, instrument.Code, result.Id,
            score.Total, score.Severity, score.SafetyFlag, actor, now));
        return Outcome<AssessmentResult>.Ok(result, StatusCodes.Status201Created);
    }
}
