using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Validation;
using Portal.Contracts;
using Portal.Insurance.Photos;
using Portal.Insurance.Roster;
using Wolverine.Marten;

namespace Portal.Insurance.Plans;

/// <summary>What a page action came to, with the errors by field when the form was refused.</summary>
internal sealed record PageOutcome(DeskOutcome Outcome, IReadOnlyDictionary<string, string[]> Errors, bool SessionSpent = false)
{
    public bool Succeeded => Outcome.Succeeded;

    public bool IsStale => Outcome.Status == StatusCodes.Status409Conflict;
}

/// <summary>
/// The page side of the insurance slices: the same <see cref="InsuranceDesk"/> actions as the JSON endpoints, with the
/// form validated by the same validator, committed by the page (Marten session and outbox in one transaction).
/// </summary>
internal static class InsurancePageActions
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static async Task<PageOutcome> SaveAsync(IDocumentSession session, IMartenOutbox outbox, IValidator<SavePlanRequest> validator,
        TimeProvider clock, HttpContext http, InsuranceClient card, Actor actor, PlanForm form, IFormFile? front, IFormFile? back,
        CancellationToken cancellation)
    {
        var request = form.ToRequest();
        var errors = ValidationProblems.ByField((await validator.ValidateAsync(request, cancellation)).Errors);

        var photos = new List<(CardSide, CleanImage)>();
        foreach (var (side, file, field) in new[] { (CardSide.Front, front, "front"), (CardSide.Back, back, "back") })
        {
            if (file is null || file.Length == 0) continue;
            var (image, refusal) = await PhotoUpload.ReadAsync(file, cancellation);
            if (image is null) errors[field] = [refusal!.Detail!];
            else photos.Add((side, image));
        }
        if (InsuranceDesk.ParseRank(form.Rank) is not { } rank) errors["rank"] = ["Plans are primary or secondary."];
        else if (errors.Count == 0)
        {
            outbox.Enroll(session);
            var outcome = await InsuranceDesk.SavePlanAsync(session, outbox, clock, http, card, actor, rank, request, photos, cancellation);
            return await CommitAsync(session, outcome, cancellation);
        }
        return new PageOutcome(new DeskOutcome(StatusCodes.Status400BadRequest, "Please correct the highlighted fields."), errors);
    }

    public static async Task<PageOutcome> RemoveAsync(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, string? rank, long expectedVersion, CancellationToken cancellation)
    {
        if (InsuranceDesk.ParseRank(rank ?? string.Empty) is not { } planRank)
            return new PageOutcome(DeskOutcome.NotFound("Plans are primary or secondary."), NoErrors);
        outbox.Enroll(session);
        var outcome = await InsuranceDesk.RemovePlanAsync(session, outbox, clock, http, card, actor, planRank, expectedVersion, cancellation);
        return await CommitAsync(session, outcome, cancellation);
    }

    public static async Task<PageOutcome> ReviewAsync(IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, HttpContext http,
        InsuranceClient card, Actor actor, string? rank, long expectedVersion, string? returnMessage, CancellationToken cancellation)
    {
        if (InsuranceDesk.ParseRank(rank ?? string.Empty) is not { } planRank)
            return new PageOutcome(DeskOutcome.NotFound("Plans are primary or secondary."), NoErrors);
        if (returnMessage is not null && (string.IsNullOrWhiteSpace(returnMessage) || returnMessage.Length > 1000))
        {
            var detail = "Tell the client what to fix (up to 1000 characters).";
            return new PageOutcome(new DeskOutcome(StatusCodes.Status400BadRequest, "Please correct the highlighted fields.", detail),
                new Dictionary<string, string[]> { [$"{InsuranceDesk.RankName(planRank)}.message"] = [detail] });
        }
        outbox.Enroll(session);
        var outcome = await InsuranceDesk.ReviewAsync(session, outbox, clock, http, card, actor, planRank, expectedVersion, returnMessage, cancellation);
        return await CommitAsync(session, outcome, cancellation);
    }

    /// <summary>
    /// Commits a successful action. A save that lost the race to commit is a stale edit like any other; the session
    /// (and the messages enlisted in it) is then spent, so the page reads the current state in a fresh one.
    /// </summary>
    private static async Task<PageOutcome> CommitAsync(IDocumentSession session, DeskOutcome outcome, CancellationToken cancellation)
    {
        if (!outcome.Succeeded) return new PageOutcome(outcome, NoErrors);
        try
        {
            await session.SaveChangesAsync(cancellation);
            return new PageOutcome(outcome, NoErrors);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return new PageOutcome(InsuranceDesk.Stale(-1, 0)!, NoErrors, SessionSpent: true);
        }
    }
}
