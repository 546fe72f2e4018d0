using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Concurrency;
using Portal.BuildingBlocks.Time;
using Portal.Intake.Assignments;
using Portal.Intake.Definitions;
using Portal.Intake.Engine;

namespace Portal.Intake.Dates;

/// <summary>A date's new value, practice-local: "2027-01-15T15:00" (or a day, "2027-01-15", read as its midnight).</summary>
public sealed record SetAssignmentDateRequest(string? Value);

internal sealed class SetAssignmentDateValidator : AbstractValidator<SetAssignmentDateRequest>
{
    public const int MaxLength = 40;

    public SetAssignmentDateValidator()
    {
        RuleFor(r => r.Value).NotEmpty().WithMessage("Give the date and time, such as 2027-01-15T15:00.").MaximumLength(MaxLength);
    }
}

/// <summary>
/// Sets or changes one named date of a running assignment ("firstSession", or one of the practice's dates):
/// tasks waiting for it open or are scheduled, scheduled ones move, due dates follow (#30 item 1). One
/// <see cref="AssignmentDateSet"/> in the stream, with who set it; audited.
/// </summary>
public static class SetAssignmentDateEndpoint
{
    [WolverinePut("/api/assignments/{id}/dates/{name}"), Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<IResult> Put(Guid id, string name, SetAssignmentDateRequest request, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, IPracticeLooks looks) =>
        (await SetAsync(new AssignmentCommand(http, session, bus, clock), looks, id, name, request.Value, http.RequestAborted))
        .ToResult(http);

    internal static async Task<Outcome<AssignmentView>> SetAsync(AssignmentCommand command, IPracticeLooks looks, Guid id,
        string name, string? value, CancellationToken cancellation)
    {
        var (http, session, bus, clock) = command;
        if (await AssignmentAccess.VisibleAssignmentAsync(session, id, http.User, cancellation) is null) return Refusal.NotFound("assignment");
        var stream = await session.Events.FetchForWriting<IntakeAssignment>(id, cancellation);
        var state = stream.Aggregate!;
        if (state.IsTerminal)
            return Refusal.Conflict("The assignment has ended.", $"The assignment is already {state.Status.ToString().ToLowerInvariant()}.");

        var card = await session.LoadAsync<Roster.IntakeClient>(state.ClientId, cancellation);
        var practiceId = card?.PracticeId ?? Guid.Empty;
        var known = await AssignmentDates.KnownAsync(session, practiceId, state.Stages, cancellation);
        if (!known.Contains(name) && !state.Dates.ContainsKey(name))
            return Refusal.Invalid("name", $"'{name}' is not one of this assignment's dates: {string.Join(", ", known)}.");
        var zone = await AssignmentDates.ZoneAsync(looks, practiceId, cancellation);
        if (AssignmentDates.Read(value, zone) is not { } at)
            return Refusal.Invalid("value", AssignmentDates.NotATime(zone));

        // Opening a waiting task may complete it at once from what the client did lately: read that under its lock.
        var activity = await EditLock.LoadLockedAsync<ClientActivity>(session, state.ClientId, cancellation);
        var process = AssignmentProcess.Continue(state, clock.GetUtcNow(), card is null ? null : ClientAttributes.Of(card, zone));
        process.SetDate(name, at, AssignmentDates.Local(at, zone), zone.Id, CurrentUser.From(http.User)!.AsActor(), activity);
        stream.AppendMany(process.Events);
        await process.SendAsync(bus);
        Audit.Record(session, http, clock, "intake.assignment.date", nameof(IntakeAssignment), id.ToString(), state.ClientId);
        return await AssignmentAccess.CommitAsync(session, process.State, cancellation);
    }
}

/// <summary>Reading the dates an assign request or a date change gives, in the practice's zone.</summary>
internal static class AssignmentDates
{
    /// <summary>The zone the practice's dates are given and counted in (a due date is a day on its calendar).</summary>
    public static async Task<TimeZoneInfo> ZoneAsync(IPracticeLooks looks, Guid practiceId, CancellationToken cancellation) =>
        PortalTime.Find((await looks.FindAsync(practiceId, cancellation))?.TimeZone) ?? PortalTime.DefaultZone;

    /// <summary>The names an assignment of this version may carry: the practice's dates and any its tasks name.</summary>
    public static async Task<IReadOnlyList<string>> KnownAsync(IQuerySession session, Guid practiceId,
        IEnumerable<StageSpec> stages, CancellationToken cancellation) =>
    [
        .. (await PracticeWorkflowDates.ForPracticeAsync(session, practiceId, cancellation)).Select(d => d.Name)
            .Concat(TaskDates.NamesUsed(stages)).Distinct(StringComparer.Ordinal),
    ];

    public static DateTimeOffset? Read(string? value, TimeZoneInfo zone) => TaskDates.FromLocal(value?.Trim(), zone);

    public static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string NotATime(TimeZoneInfo zone) =>
        $"Give a practice-local date and time such as 2027-01-15T15:00 (in {zone.Id}); " +
        "a time skipped when clocks go forward does not exist.";

    /// <summary>
    /// The assign request's dates as the events that start each assignment with them; a refusal naming
    /// <c>dates.name</c> for an unknown name or a value that is not a local time.
    /// </summary>
    public static async Task<Outcome<List<AssignmentDateSet>>> ReadAllAsync(IReadOnlyDictionary<string, string?>? dates,
        IQuerySession session, IPracticeLooks looks, Guid practiceId, IEnumerable<StageSpec> stages, Actor by, DateTimeOffset now,
        CancellationToken cancellation)
    {
        var events = new List<AssignmentDateSet>();
        if (dates is not { Count: > 0 }) return events;
        var known = await KnownAsync(session, practiceId, stages, cancellation);
        var zone = await ZoneAsync(looks, practiceId, cancellation);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, value) in dates)
        {
            if (!known.Contains(name))
                errors[$"dates.{name}"] = [$"'{name}' is not one of the practice's dates: {string.Join(", ", known)}."];
            else if (Read(value, zone) is not { } at) errors[$"dates.{name}"] = [NotATime(zone)];
            else events.Add(new AssignmentDateSet(Guid.Empty, name, at, Local(at, zone), zone.Id, by, now));
        }

        return errors.Count > 0 ? Refusal.Invalid(errors) : events;
    }
}
