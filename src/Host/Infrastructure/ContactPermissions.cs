using Portal.BuildingBlocks.Security;
using Portal.Contracts;

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

    /// <summary>The refusal for a parent of a minor old enough to do this task themselves.</summary>
    public static string MinorTitle(string? name) => $"{name} does this task themselves now.";

    public static IApplicationBuilder UseContactPermissions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = CurrentUser.From(context.User);
        if (user is { IsContact: true } && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            var today = DateOnly.FromDateTime(context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
            if (Refusal(user, context.Request.Path, today) is { } refusal)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                if (ErrorResponses.IsApiRequest(context))
                    await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: refusal.Title, detail: refusal.Detail)
                        .ExecuteAsync(context);
                return;
            }
        }
        await next(context);
    });

    private static (string Title, string Detail)? Refusal(CurrentUser user, PathString path, DateOnly today)
    {
        var detail = $"You act for {user.ActingForName} as their {user.Relationship}; the practice decides what you may do.";
        if (path.StartsWithSegments("/api/portal/email-change")) return (EmailTitle, detail);
        if (path.StartsWithSegments("/portal/account") || path.StartsWithSegments("/portal/acting-for")) return null;
        var kind = KindOf(path);
        var clientWrite = kind is not null || path.StartsWithSegments("/api/portal") || path.StartsWithSegments("/portal");
        if (!clientWrite) return null;
        if (!user.MayCompleteTasks) return (ReadOnlyTitle, detail);
        if (kind is { } taskKind && !user.MayComplete(taskKind, today))
            return (MinorTitle(user.ActingForName),
                $"From the age the practice set, {user.ActingForName} has their own login for this. As their {user.Relationship} you can " +
                $"still complete: {string.Join(", ", user.GuardianCompletes.Select(Describe).DefaultIfEmpty("nothing"))}.");
        return null;
    }

    /// <summary>The kind of task a client write belongs to, by the module that serves it.</summary>
    private static TaskKind? KindOf(PathString path) =>
        path.StartsWithSegments("/api/insurance") || path.StartsWithSegments("/portal/insurance") ? TaskKind.AddInsurance
        : path.StartsWithSegments("/api/autopay") || path.StartsWithSegments("/portal/autopay") ? TaskKind.EnrollInAutopay
        : path.StartsWithSegments("/api/portal/documents") || path.StartsWithSegments("/portal/documents") ? TaskKind.SignDocument
        : path.StartsWithSegments("/api/portal/forms") || path.StartsWithSegments("/portal/forms") ? TaskKind.CompleteIntakeForm
        : path.StartsWithSegments("/api/portal/assessments") || path.StartsWithSegments("/portal/assessments") ? TaskKind.CompleteAssessment
        : null;

    private static string Describe(TaskKind kind) => kind switch
    {
        TaskKind.AddInsurance => "insurance",
        TaskKind.EnrollInAutopay => "autopay",
        TaskKind.SignDocument => "documents",
        TaskKind.CompleteIntakeForm => "intake forms",
        _ => "assessments",
    };
}
