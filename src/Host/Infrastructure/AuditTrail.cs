using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;

namespace Portal.Host.Infrastructure;

/// <summary>
/// The audit entries the host writes for every module, so no endpoint has to remember them: refused requests
/// (401/403, and the 404 a signed-in caller gets for a record they may not see) and sign-outs. Modules record the
/// reads and changes of health and payment information themselves with <see cref="Audit.Record"/>.
/// </summary>
internal static class AuditTrail
{
    /// <summary>Set by the cookie handler when it turns a page request away with a redirect (sign-in or forbidden page).</summary>
    public const string RefusedItem = "portal.audit.refused";

    private const string SignOutReasonItem = "portal.audit.sign-out";
    private const string SignOutPrincipalItem = "portal.audit.sign-out-principal";

    /// <summary>
    /// After the request: a 401 or 403 from an endpoint that is not public, or a 404 from a matched endpoint to a
    /// signed-in caller, is recorded as <c>access.denied</c> with the route (never the raw path or query, which can hold
    /// tokens), the ids in the route, and the status as outcome. Goes between routing and authentication.
    /// </summary>
    public static IApplicationBuilder UseRefusalAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // The endpoint and route as matched (an error page re-executed for a 404 must not replace them), once per
        // request; written as the response starts, so the entry is stored before the caller has the answer.
        if (context.Items.TryAdd(WatchedItem, true) && context.GetEndpoint() is RouteEndpoint endpoint)
        {
            var routeValues = new RouteValueDictionary(context.Request.RouteValues);
            context.Response.OnStarting(() => RecordRefusalAsync(context, endpoint, routeValues));
        }
        await next();
    });

    private const string WatchedItem = "portal.audit.watched";

    private static async Task RecordRefusalAsync(HttpContext context, RouteEndpoint endpoint, RouteValueDictionary routeValues)
    {
        var status = context.Items[RefusedItem] as int? ?? context.Response.StatusCode;
        if (status is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)) return;
        // A public endpoint's 4xx is its own answer (a failed sign-in, an unusable link), audited by the module.
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return;
        if (endpoint.Metadata.GetMetadata<IAuthorizeData>() is null && status != StatusCodes.Status404NotFound) return;
        if (status == StatusCodes.Status404NotFound && CurrentUser.From(context.User) is null) return;

        Guid? clientId = routeValues.TryGetValue("clientId", out var raw) && Guid.TryParse(raw?.ToString(), out var parsed) ? parsed : null;
        var recordId = routeValues
            .Where(v => v.Key != "clientId" && Guid.TryParse(v.Value?.ToString(), out _))
            .Select(v => v.Value!.ToString())
            .FirstOrDefault();
        var route = $"{context.Request.Method} /{endpoint.RoutePattern.RawText?.TrimStart('/')}";
        await WriteAsync(context, "access.denied", route, recordId, clientId, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Records a sign-out (or a session ended by its absolute lifetime) of a signed-in person.</summary>
    public static async Task OnSigningOut(CookieSigningOutContext context)
    {
        var user = CurrentUser.From(SigningOutPrincipal(context.HttpContext));
        if (user is null) return;
        var reason = SigningOutReason(context.HttpContext);
        await WriteAsync(context.HttpContext, "account.sign-out", "Account", user.UserId.ToString(), user.ClientId, reason, user);
    }

    /// <summary>Whose session the sign-out under way ends: the caller's, or the one found expired.</summary>
    public static System.Security.Claims.ClaimsPrincipal SigningOutPrincipal(HttpContext context) =>
        context.Items[SignOutPrincipalItem] as System.Security.Claims.ClaimsPrincipal ?? context.User;

    /// <summary>"signed-out" (the person's choice), "session-expired" or "idle-timeout".</summary>
    public static string SigningOutReason(HttpContext context) => context.Items[SignOutReasonItem] as string ?? "signed-out";

    /// <summary>Marks the coming sign-out as the session's end by a limit (<paramref name="reason"/>) rather than the person's choice.</summary>
    public static void SessionExpired(HttpContext context, System.Security.Claims.ClaimsPrincipal? principal, string reason = "session-expired")
    {
        context.Items[SignOutReasonItem] = reason;
        context.Items[SignOutPrincipalItem] = principal;
    }

    private static async Task WriteAsync(HttpContext context, string action, string recordType, string? recordId, Guid? clientId, string outcome,
        CurrentUser? actor = null)
    {
        try
        {
            var store = context.RequestServices.GetRequiredService<IDocumentStore>();
            var clock = context.RequestServices.GetRequiredService<TimeProvider>();
            await using var session = store.LightweightSession();
            Audit.Record(session, context, clock, action, recordType, recordId, clientId, outcome, actor);
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is NpgsqlException or MartenException or InvalidOperationException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail))
                .LogError(exception, "Could not write the audit entry {Action} ({Outcome})", action, outcome);
        }
    }
}

/// <summary>
/// Makes the audit table append-only in the database itself: a trigger refuses every UPDATE and DELETE of a row,
/// whoever sends it. Runs after Marten has created the table (hosted services start in registration order); idempotent
/// and serialized by an advisory lock, so several hosts may start at once.
/// </summary>
internal sealed class AuditLogProtection(IConfiguration configuration, ILogger<AuditLogProtection> logger) : IHostedService
{
    public const string Table = "audit.mt_doc_auditentry";

    private const string Sql = $"""
        select pg_advisory_xact_lock(hashtext('portal.audit.append-only'));
        create or replace function audit.refuse_audit_change() returns trigger language plpgsql as $body$
        begin
            raise exception 'the audit log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
        end
        $body$;
        create or replace trigger audit_append_only before update or delete on {Table}
            for each row execute function audit.refuse_audit_change();
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Portal"));
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand(Sql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Audit log {Table} is append-only (UPDATE and DELETE refused by trigger)", Table);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
