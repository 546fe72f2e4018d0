namespace Portal.BuildingBlocks.Web;

/// <summary>
/// How a practice presents itself to its clients: the name they know it by, its logo, its accent colour and its time
/// zone. The client portal, the sign-in pages reached from its links and its emails wear it.
/// </summary>
/// <param name="LogoPath">The logo's path on this site (versioned, so it may be cached for good), or null without a logo.</param>
/// <param name="StylesheetPath">A stylesheet that sets the accent colour (a file, since the CSP allows no inline style).</param>
public sealed record PracticeLook(
    Guid PracticeId,
    string DisplayName,
    string TimeZone,
    string AccentColor,
    string? LogoPath,
    string StylesheetPath);

/// <summary>
/// Finds a practice's look for the host, which dresses every page in it: the practice module answers, so that the
/// host and the other modules never read its documents.
/// </summary>
public interface IPracticeLooks
{
    ValueTask<PracticeLook?> FindAsync(Guid practiceId, CancellationToken cancellation);
}
