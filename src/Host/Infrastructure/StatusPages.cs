using System.Security.Claims;
using Portal.BuildingBlocks.Security;

namespace Portal.Host.Infrastructure;

/// <summary>
/// What the error page (<c>/error</c>, re-executed for every page status) and the access-denied page
/// (<c>/forbidden</c>) show: the layout of the signed-in person's role (a signed-out visitor gets the public one), a
/// sentence for the status, and the way back to that role's home, so a refusal never strands anyone on a blank page.
/// </summary>
internal static class StatusPages
{
    public sealed record Shown(string Layout, string Title, string Message, string Home, string HomeText, bool SignIn);

    public static Shown For(int status, ClaimsPrincipal principal)
    {
        var user = CurrentUser.From(principal);
        var (layout, home, homeText) = user switch
        {
            { IsClient: true } => ("_PortalLayout", "/portal", "Back to your portal home"),
            { IsProvider: true } => ("_ConsoleLayout", "/console", "Back to your dashboard"),
            { IsSupport: true } => ("_SupportLayout", "/support", "Back to support's home"),
            _ => ("_PublicLayout", "/", "Back to the start"),
        };
        var askWhom = user is { IsClient: true } ? "ask your provider" : "ask your practice or support";
        var (title, message) = status switch
        {
            404 => ("Page not found", "We could not find that page. It may have moved, the link may be incomplete, "
                                      + "or it is not one you can open."),
            403 when user is null => ("You are not allowed to open this page",
                "Sign in with an account that may open it."),
            403 => ("You are not allowed to open this page",
                $"Your account may not open it. If you think it should, {askWhom}."),
            401 => ("Please sign in", "Sign in to continue."),
            429 => ("Too many attempts", "Please wait a minute and try again."),
            503 => ("The portal is busy", "Nothing was changed. Please try again in a moment."),
            _ => ("Something went wrong", "We could not complete that request. Please try again in a moment."),
        };
        return new Shown(layout, title, message, home, homeText, SignIn: user is null && status is 401 or 403);
    }
}
