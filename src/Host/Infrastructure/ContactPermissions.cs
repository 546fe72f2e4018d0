using Portal.BuildingBlocks.Security;

namespace Portal.Host.Infrastructure;

/// <summary>
/// What a contact may do for the record they act for, checked once for every module: the cookie says as whom the
/// login acts (<see cref="CurrentUser.IsContact"/>) and what the practice allowed. A contact without "complete tasks"
/// reads the record's tasks but every write of the client's (signing, forms, assessments, insurance, autopay) answers
/// 403; no contact changes the record's login email (that is the client's own). The login's own settings (password,
/// authenticator, sessions, the switch) stay theirs.
/// </summary>
internal static class ContactPermissions
{
    public const string ReadOnlyTitle = "You can read these tasks but not complete them.";
    public const string EmailTitle = "Only the client changes the login email of their record.";

    public static IApplicationBuilder UseContactPermissions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = CurrentUser.From(context.User);
        if (user is { IsContact: true } && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && Refusal(user, context.Request.Path) is { } title)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (ErrorResponses.IsApiRequest(context))
                await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: title,
                    detail: $"You act for {user.ActingForName} as their {user.Relationship}; the practice decides what you may do.")
                    .ExecuteAsync(context);
            return;
        }
        await next(context);
    });

    private static string? Refusal(CurrentUser user, PathString path)
    {
        if (path.StartsWithSegments("/api/portal/email-change")) return EmailTitle;
        if (path.StartsWithSegments("/portal/account") || path.StartsWithSegments("/portal/acting-for")) return null;
        var clientWrite = path.StartsWithSegments("/api/portal") || path.StartsWithSegments("/api/insurance")
            || path.StartsWithSegments("/api/autopay") || path.StartsWithSegments("/portal");
        return clientWrite && !user.MayCompleteTasks ? ReadOnlyTitle : null;
    }
}
