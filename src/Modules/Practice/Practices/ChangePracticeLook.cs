using System.Globalization;
using System.Text.RegularExpressions;
using Portal.BuildingBlocks.Auditing;
using Portal.Practice.Roster;

namespace Portal.Practice.Practices;

/// <summary>
/// The owner chooses how the practice presents itself: the name its clients see, its time zone (from the IANA list)
/// and its accent colour (readable under white text). The logo has its own slice (<see cref="ChangePracticeLogo"/>).
/// </summary>
public sealed record PracticeLookRequest(string? DisplayName, string? TimeZone, string? AccentColor);

internal sealed record PracticeLookView(
    string Name, string DisplayName, string TimeZone, string AccentColor, string? LogoPath, long Version)
{
    public static PracticeLookView Of(RosterPractice practice) => new(practice.Name, practice.ShownName, practice.TimeZone,
        practice.AccentColor, PracticeLooks.LogoPath(practice), practice.LookVersion);
}

internal sealed partial class PracticeLookValidator : AbstractValidator<PracticeLookRequest>
{
    public PracticeLookValidator()
    {
        RuleFor(r => r.DisplayName).NotEmpty().WithMessage("Enter the name your clients know the practice by.")
            .MaximumLength(120).WithMessage("A name has at most 120 characters.");
        RuleFor(r => r.TimeZone).Must(PortalTime.IsChoosable).WithMessage("Choose a time zone from the list.");
        RuleFor(r => r.AccentColor).Cascade(CascadeMode.Stop)
            .Must(c => c is not null && HexColor().IsMatch(c)).WithMessage("Give the colour as #rrggbb, e.g. #1f5f8b.")
            .Must(c => AccentContrast.WithWhite(c!) >= AccentContrast.Minimum)
            .WithMessage(r => $"White text on {r.AccentColor} is hard to read (contrast " +
                $"{AccentContrast.WithWhite(r.AccentColor!).ToString("0.0", CultureInfo.InvariantCulture)}:1, " +
                $"at least {AccentContrast.Minimum}:1 is needed): choose a darker colour.");
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    internal static partial Regex HexColor();
}

/// <summary>WCAG 2 contrast of an accent colour against white, the colour of text on buttons and the header bar.</summary>
internal static class AccentContrast
{
    /// <summary>WCAG AA for normal text.</summary>
    public const double Minimum = 4.5;

    public static double WithWhite(string hex)
    {
        var r = Channel(hex, 1);
        var g = Channel(hex, 3);
        var b = Channel(hex, 5);
        var luminance = (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
        return 1.05 / (luminance + 0.05);
    }

    private static double Channel(string hex, int at)
    {
        var value = int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
        return value <= 0.04045 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
    }
}

public static class PracticeLookEndpoints
{
    [WolverineGet("/api/console/practice/look")]
    [Authorize(Policy = PortalPolicies.PracticeMember)]
    public static async Task<IResult> Get(HttpContext http, IQuerySession session)
    {
        var practice = await session.LoadAsync<RosterPractice>(CurrentUser.From(http.User)!.PracticeId ?? Guid.Empty);
        return practice is null ? Refusal.NotFound("practice").ToProblem(http) : Results.Ok(PracticeLookView.Of(practice));
    }

    [WolverinePut("/api/console/practice/look")]
    [Authorize(Policy = PortalPolicies.Owner)]
    public static async Task<(IResult, OutgoingMessages)> Put(PracticeLookRequest request, HttpContext http, IDocumentSession session,
        TimeProvider clock, IPracticeLooks looks)
    {
        var (outcome, messages) = await ChangePracticeLook.ExecuteAsync(request, http, session, clock, looks);
        return (outcome.ToResult(http), messages);
    }
}

internal static class ChangePracticeLook
{
    public static async Task<(Outcome<PracticeLookView>, OutgoingMessages)> ExecuteAsync(PracticeLookRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock, IPracticeLooks looks)
    {
        var user = CurrentUser.From(http.User)!;
        var practice = await session.LoadAsync<RosterPractice>(user.PracticeId ?? Guid.Empty);
        if (practice is null) return (Refusal.NotFound("practice"), []);

        practice.DisplayName = request.DisplayName!.Trim();
        practice.TimeZone = request.TimeZone!;
        practice.AccentColor = request.AccentColor!.ToLowerInvariant();
        Audit.Record(session, http, clock, "practice.look-changed", "Practice", practice.Id.ToString(),
            outcome: $"zone {practice.TimeZone}, accent {practice.AccentColor}");
        return (PracticeLookView.Of(practice), [PracticeLooks.Changed(practice, session, looks)]);
    }
}
