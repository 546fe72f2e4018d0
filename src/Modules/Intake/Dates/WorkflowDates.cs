using System.Security.Claims;
using Portal.BuildingBlocks.Auditing;
using Portal.Intake.Engine;

namespace Portal.Intake.Dates;

/// <summary>A date a practice's workflows can open and fall due from: its name in definitions, and what people read.</summary>
public sealed record NamedDate(string Name, string Label);

/// <summary>
/// The practice-level workflow settings of dates (#30 item 1): the dates the practice defines beside the built-in
/// "First session". One document per practice (id = the practice id).
/// </summary>
public sealed class PracticeWorkflowDates
{
    public Guid Id { get; set; }
    public List<NamedDate> Dates { get; set; } = [];
    public DateTimeOffset UpdatedAt { get; set; }

    public static readonly NamedDate FirstSession = new(TaskDates.FirstSession, "First session");

    /// <summary>Every date the practice's assignments may carry: the built-in one first.</summary>
    public static IReadOnlyList<NamedDate> Of(PracticeWorkflowDates? settings) => [FirstSession, .. settings?.Dates ?? []];

    public static async Task<IReadOnlyList<NamedDate>> ForPracticeAsync(IQuerySession session, Guid practiceId,
        CancellationToken cancellation) =>
        Of(await session.LoadAsync<PracticeWorkflowDates>(practiceId, cancellation));
}

/// <summary>The practice's own dates, replacing the ones before (the built-in first session is never listed here).</summary>
public sealed record WorkflowDatesRequest(IReadOnlyList<NamedDate>? Dates);

internal sealed record WorkflowDatesView(IReadOnlyList<WorkflowDateView> Dates);

internal sealed record WorkflowDateView(string Name, string Label, bool BuiltIn);

internal sealed class WorkflowDatesValidator : AbstractValidator<WorkflowDatesRequest>
{
    public const int MaxDates = 20;

    public WorkflowDatesValidator()
    {
        RuleFor(r => r.Dates).NotNull().WithMessage("Give the list of dates (it may be empty).")
            .Must(d => d is null || d.Count <= MaxDates).WithMessage($"A practice defines at most {MaxDates} dates.")
            .Must(d => d is null || d.Where(x => x is not null).Select(x => x.Name).Distinct(StringComparer.Ordinal).Count() == d.Count)
            .WithMessage("Each date needs its own name: a name is used twice (or a date is empty).");
        RuleForEach(r => r.Dates).ChildRules(date =>
        {
            date.RuleFor(d => d.Name).Must(n => n is not null && TaskDates.NamePattern().IsMatch(n))
                .WithMessage("A date's name is one camel-case word of up to 40 letters and digits, such as 'intakeCall'.")
                .NotEqual(TaskDates.FirstSession).WithMessage("'firstSession' is built in: every practice has it already.");
            date.RuleFor(d => d.Label).NotEmpty().WithMessage("Say what people read for the date, such as 'Intake call'.")
                .MaximumLength(60);
        });
    }
}

public static class WorkflowDatesEndpoints
{
    /// <summary>Whoever assigns workflows reads which dates an assignment can carry.</summary>
    [WolverineGet("/api/workflows/dates"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Get(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var practiceId = CurrentUser.From(principal)!.PracticeId ?? Guid.Empty;
        return Results.Ok(View(await PracticeWorkflowDates.ForPracticeAsync(session, practiceId, cancellation)));
    }

    /// <summary>
    /// The owner defines the practice's dates. Assignments keep the dates they were given; a definition naming a date
    /// removed here leaves its tasks waiting until someone sets that date on the assignment.
    /// </summary>
    [WolverinePut("/api/workflows/dates"), Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<IResult> Put(WorkflowDatesRequest request, HttpContext http, IDocumentSession session, TimeProvider clock,
        CancellationToken cancellation) =>
        (await SaveAsync(request, http, session, clock, cancellation)).ToResult(http);

    /// <summary>The change itself, checked and audited; the owner's page saves through it too.</summary>
    internal static async Task<Outcome<WorkflowDatesView>> SaveAsync(WorkflowDatesRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var check = await new WorkflowDatesValidator().ValidateAsync(request, cancellation);
        if (!check.IsValid)
            return Refusal.Invalid(check.Errors.GroupBy(e => e.PropertyName)
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
        var practiceId = CurrentUser.From(http.User)!.PracticeId ?? Guid.Empty;
        var settings = await session.LoadAsync<PracticeWorkflowDates>(practiceId, cancellation)
                       ?? new PracticeWorkflowDates { Id = practiceId };
        settings.Dates = [.. request.Dates!.Select(d => new NamedDate(d.Name, d.Label.Trim()))];
        settings.UpdatedAt = clock.GetUtcNow();
        session.Store(settings);
        Audit.Record(session, http, clock, "intake.dates.change", nameof(PracticeWorkflowDates), practiceId.ToString());
        await session.SaveChangesAsync(cancellation);
        return View(PracticeWorkflowDates.Of(settings));
    }

    /// <summary>"Intake call" as a date's name: "intakeCall" (letters and digits, camel case), or null when nothing is left.</summary>
    internal static string? NameFor(string? label)
    {
        var words = System.Text.RegularExpressions.Regex.Split(label ?? string.Empty, "[^A-Za-z0-9]+").Where(w => w.Length > 0).ToList();
        if (words.Count == 0) return null;
        var name = string.Concat(words.Select((w, i) => i == 0
            ? w.ToLowerInvariant()
            : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
        if (char.IsDigit(name[0])) name = "date" + name;
        return name.Length > 40 ? name[..40] : name;
    }

    internal static WorkflowDatesView View(IReadOnlyList<NamedDate> dates) =>
        new([.. dates.Select(d => new WorkflowDateView(d.Name, d.Label, d.Name == TaskDates.FirstSession))]);
}
