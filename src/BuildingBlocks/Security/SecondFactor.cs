using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Web;

namespace Portal.BuildingBlocks.Security;

/// <summary>
/// The second-factor rules every module shares. Staff (every practice member and support) reach no client data until
/// their session proved a second factor (<see cref="CurrentUser.SecondFactorAt"/>); a client does too when their
/// practice requires it (the cookie's <see cref="PortalClaims.SecondFactorRequired"/>). Sensitive actions (the login
/// email, an email change's approval, a record export, break-glass, the factors themselves) ask for the factor again
/// when it was proved more than <see cref="StepUpWindow"/> ago.
/// </summary>
public static class SecondFactor
{
    /// <summary>How long a proved second factor covers a sensitive action.</summary>
    public static readonly TimeSpan StepUpWindow = TimeSpan.FromMinutes(10);

    /// <summary>Where a person enrols a second factor, sees recovery codes and proves their factor again.</summary>
    public const string EnrolPath = "/account/second-factor";

    /// <summary>Where a renewed proof is posted (a TOTP or recovery code; passkeys have their own route beside it).</summary>
    public const string StepUpPath = "/api/account/step-up";

    public const string GateTitle = "Set up a second factor before opening client data.";

    public const string GateDetail =
        "Your account needs an authenticator app or a passkey, and this session must have used it. Open " + EnrolPath +
        " to set one up, or sign in again with your code.";

    public const string StepUpTitle = "Confirm it's you: enter a code from your authenticator app or a recovery code.";

    public const string StepUpDetail =
        "This action asks for your second factor again when it was last used more than 10 minutes ago. " +
        "POST the code to " + StepUpPath + ", then try again.";

    /// <summary>Whether this person must have proved a second factor before any policy but the client's own lets them in.</summary>
    public static bool IsRequiredFor(CurrentUser user) => !user.IsApiClient && (user.IsProvider || user.IsSupport || (user.IsClient && user.SecondFactorRequired));

    /// <summary>Whether the session has what the gate asks: proved, when this person needs it.</summary>
    public static bool Satisfies(CurrentUser user) => !IsRequiredFor(user) || user.SecondFactorAt is not null;

    /// <summary>Whether the session proved its factor within <see cref="StepUpWindow"/> of <paramref name="now"/>.</summary>
    public static bool IsFresh(CurrentUser user, DateTimeOffset now) =>
        user.SecondFactorAt is { } at && now - at <= StepUpWindow && at <= now + TimeSpan.FromMinutes(1);

    /// <summary>
    /// The refusal of a sensitive action whose session did not prove its factor in the last ten minutes, or null when
    /// it may go ahead. <paramref name="hasFactor"/> is false for a client without a second factor: nothing to ask.
    /// </summary>
    public static Refusal? StepUp(CurrentUser user, DateTimeOffset now, bool hasFactor = true) =>
        !hasFactor || IsFresh(user, now)
            ? null
            : new Refusal(StatusCodes.Status403Forbidden, StepUpTitle, StepUpDetail)
                .With("stepUpRequired", true)
                .With("stepUpUrl", StepUpPath);

    /// <summary>The gate's answer to an API caller: 403 problem+json saying what to do.</summary>
    public static Refusal GateRefusal() =>
        Refusal.Forbidden(GateTitle, GateDetail).With("secondFactorRequired", true).With("enrolUrl", EnrolPath);
}
