using Portal.BuildingBlocks.Web;

namespace Portal.BuildingBlocks.Security;

/// <summary>A support user's open grant to one client's health information, until <see cref="ExpiresAt"/>.</summary>
public sealed record ActiveBreakGlass(Guid GrantId, string Reason, DateTimeOffset OpenedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Break-glass: support sees a client's health information (assessment scores and answers, safety flags, intake
/// answers, insurance, signed documents' contents) only under a grant it opened with a reason, for a limited time. The
/// modules that hold that data ask here on each read. Implemented by the accounts module, which keeps the grants.
/// </summary>
public interface IBreakGlassGrants
{
    /// <summary>The support user's grant to the client that is open now (by the portal clock), or null.</summary>
    Task<ActiveBreakGlass?> ActiveAsync(Guid supportUserId, Guid clientId, CancellationToken cancellationToken);
}

/// <summary>The check every module holding health information makes, and the refusal support gets without a grant.</summary>
public static class HealthInformation
{
    public const string HiddenTitle = "Health information is hidden from support. Record a reason to open it.";

    public const string HiddenDetail =
        "Open the client's profile and record why you need to see their health information. The client's provider is told.";

    /// <summary>403: the caller is support and has no open grant for this client.</summary>
    public static readonly Refusal HiddenFromSupport = Refusal.Forbidden(HiddenTitle, HiddenDetail).With("code", "break-glass-required");

    /// <summary>
    /// Whether <paramref name="user"/>, who may already see the client's record, may see its health information:
    /// anyone but support may; support only under an open grant.
    /// </summary>
    public static async Task<bool> MaySeeAsync(this IBreakGlassGrants grants, CurrentUser user, Guid clientId,
        CancellationToken cancellationToken) =>
        !user.IsSupport || await grants.ActiveAsync(user.UserId, clientId, cancellationToken) is not null;
}
