using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging;
using Portal.Intake.Definitions;
using Portal.Intake.Migrating;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime;

namespace Portal.Intake.Pages.Console.Workflows;

/// <summary>
/// Moves running assignments to the workflow's published version, as <c>POST /api/workflows/{id}/migrations</c> does
/// and through the same slice: tick the clients, "Check what changes" (the dry run, per client in words), then move
/// those the dry run showed at the stream versions it read, so an assignment changed in between is refused and named.
/// </summary>
[Authorize(Policy = PortalPolicies.Provider)]
[EnableRateLimiting(IntakeModule.BulkAssignmentPolicy)]
public sealed class MigrateAssignmentsModel(IDocumentSession session, OutboxedSessionFactory sessions, IWolverineRuntime runtime,
    TimeProvider clock, ILogger<IntakeModule> logger) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    internal WorkflowDefinition Definition { get; private set; } = null!;

    /// <summary>The version assignments move to: the published one (or, after a dry run, the one it was checked against).</summary>
    internal int? ToVersion { get; private set; }

    internal IReadOnlyList<OlderAssignment> Running { get; private set; } = [];

    internal IReadOnlySet<Guid> Chosen { get; private set; } = new HashSet<Guid>();

    /// <summary>Why the selection was refused, shown beside the clients' checkboxes.</summary>
    internal string? SelectionError { get; private set; }

    /// <summary>A refusal of the whole request (the version is gone, a draft, …).</summary>
    internal string? Error { get; private set; }

    /// <summary>What the dry run found, or what the move did.</summary>
    internal MigrationResponse? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellation) =>
        await LoadAsync(null, cancellation) ? Page() : NotFound();

    /// <summary>Ticks every client listed (the page works without a script).</summary>
    public async Task<IActionResult> OnPostSelectAllAsync(CancellationToken cancellation)
    {
        if (!await LoadAsync(null, cancellation)) return NotFound();
        Chosen = Running.Select(r => r.AssignmentId).ToHashSet();
        return Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(Guid[]? assignmentIds, CancellationToken cancellation)
    {
        if (!await LoadAsync(null, cancellation)) return NotFound();
        Chosen = (assignmentIds ?? []).ToHashSet();
        if (ToVersion is not { } toVersion) return Refused(StatusCodes.Status409Conflict, "Publish a version before moving assignments to it.");
        if (Chosen.Count == 0) return SelectionRefused("Choose at least one client to check.");
        return await RunAsync(new MigrateAssignmentsRequest(toVersion, [.. Chosen], DryRun: true), cancellation);
    }

    /// <summary>
    /// The move of what the dry run showed: each "assignment@version" as the dry run read it, and the version it was
    /// checked against, so a newer publication or a change to an assignment in between does not go unseen.
    /// </summary>
    public async Task<IActionResult> OnPostMoveAsync(int toVersion, string[]? moves, CancellationToken cancellation)
    {
        var expected = new Dictionary<Guid, long>();
        foreach (var move in moves ?? [])
        {
            var parts = move.Split('@', 2);
            if (parts.Length != 2 || !Guid.TryParse(parts[0], out var assignmentId)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                return await SelectionRefusedAfterLoadAsync("An assignment in the form is not one this page sent; check again.", cancellation);
            expected[assignmentId] = version;
        }

        if (!await LoadAsync(toVersion, cancellation)) return NotFound();
        Chosen = expected.Keys.ToHashSet();
        if (expected.Count == 0) return SelectionRefused("Choose at least one client, then check what changes before moving.");
        return await RunAsync(new MigrateAssignmentsRequest(toVersion, [.. expected.Keys], ExpectedVersions: expected), cancellation);
    }

    private async Task<IActionResult> RunAsync(MigrateAssignmentsRequest request, CancellationToken cancellation)
    {
        var check = new MigrateAssignmentsValidator().Validate(request);
        if (!check.IsValid) return SelectionRefused(string.Join(" ", check.Errors.Select(e => e.ErrorMessage)));

        var outcome = await MigrateAssignmentsEndpoint.MigrateAsync(Id, request,
            new MigrateAssignmentsEndpoint.MigrationContext(HttpContext, session, sessions, runtime, clock, logger), cancellation);
        if (!outcome.Succeeded)
        {
            if (outcome.Refusal.Status == StatusCodes.Status404NotFound && outcome.Refusal.Title == "No such workflow.") return NotFound();
            var why = string.Join(" ", outcome.Refusal.Messages());
            return outcome.Refusal.Title == "No such assignment." || outcome.Refusal.Errors is { Count: > 0 }
                ? SelectionRefused(why)
                : Refused(outcome.Refusal.Status, $"{outcome.Refusal.Title} {why}");
        }

        // The audit entry of the dry run or the move is in this session.
        await session.SaveChangesAsync(cancellation);
        Report = outcome.Value;
        if (!request.DryRun)
        {
            // The list now shows who is still on an older version.
            await LoadAsync(null, cancellation);
            Chosen = new HashSet<Guid>();
        }
        return Page();
    }

    private IActionResult SelectionRefused(string why)
    {
        SelectionError = why;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<IActionResult> SelectionRefusedAfterLoadAsync(string why, CancellationToken cancellation) =>
        await LoadAsync(null, cancellation) ? SelectionRefused(why) : NotFound();

    private IActionResult Refused(int status, string why)
    {
        Error = why;
        Response.StatusCode = status;
        return Page();
    }

    private async Task<bool> LoadAsync(int? toVersion, CancellationToken cancellation)
    {
        var definition = await Definitions.Definitions.LoadOwnAsync(session, Id, User, cancellation);
        if (definition is null) return false;
        Definition = definition;
        ToVersion = toVersion ?? definition.Published?.Version;
        Running = await OlderAssignments.ListAsync(session, definition, CurrentUser.From(User)!, MigrateAssignmentsValidator.MaxAssignments,
            cancellation);
        return true;
    }
}
