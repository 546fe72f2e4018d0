using System.Globalization;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Wolverine.Http;

namespace Portal.Host.Support;

/// <summary>One line of the audit log as support reads it.</summary>
public sealed record AuditLine(Guid Id, DateTimeOffset At, string Action, string? Outcome, string RecordType, string? RecordId,
    Guid? ClientId, string ActorRole, Guid? ActorId, string? IpAddress, string? UserAgent)
{
    /// <summary>For a contact's action: the record acted for and the relationship ("parent").</summary>
    public Guid? ActingForClientId { get; init; }
    public string? ActorRelationship { get; init; }
}

public sealed record AuditLogPage(IReadOnlyList<AuditLine> Entries, int Page, int PageSize, long Total, int PageCount);

/// <summary>What support filters the audit log by; every part is optional.</summary>
internal sealed record AuditFilter(Guid? ClientId, Guid? UserId, string? Action, DateTimeOffset? From, DateTimeOffset? To, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Reads the query values; returns the problem (field → message) when one cannot be understood.</summary>
    public static (AuditFilter? Filter, Dictionary<string, string[]>? Errors) Parse(Guid? clientId, Guid? userId, string? action,
        string? from, string? to, int? page, int? pageSize, TimeZoneInfo? zone = null)
    {
        var errors = new Dictionary<string, string[]>();
        var start = ParseDate(from, endOfDay: false, "from", errors, zone ?? TimeZoneInfo.Utc);
        var end = ParseDate(to, endOfDay: true, "to", errors, zone ?? TimeZoneInfo.Utc);
        if (page is < 1) errors["page"] = ["The page starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"The page size is between 1 and {MaxPageSize}."];
        if (action is { Length: > 100 }) errors["action"] = ["The action is at most 100 characters."];
        if (errors.Count > 0) return (null, errors);
        return (new AuditFilter(clientId, userId, string.IsNullOrWhiteSpace(action) ? null : action.Trim(), start, end,
            page ?? 1, pageSize ?? DefaultPageSize), null);
    }

    /// <summary>
    /// A date (the whole day in <paramref name="zone"/>: the API's is UTC, the page's the reader's) or a date and time
    /// with offset.
    /// </summary>
    private static DateTimeOffset? ParseDate(string? text, bool endOfDay, string field, Dictionary<string, string[]> errors,
        TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var local = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)) return moment;
        errors[field] = ["Use a date (2026-11-27) or a date and time (2026-11-27T14:30:00Z)."];
        return null;
    }

    /// <summary>The query string of this filter at another page (<paramref name="pageParameter"/> names the page value).</summary>
    public string Query(int page, string pageParameter = "page") => string.Join("&", new[]
        {
            ClientId is { } c ? $"clientId={c}" : null,
            UserId is { } u ? $"userId={u}" : null,
            Action is { } a ? $"action={Uri.EscapeDataString(a)}" : null,
            From is { } f ? $"from={Uri.EscapeDataString(f.ToString("o", CultureInfo.InvariantCulture))}" : null,
            To is { } t ? $"to={Uri.EscapeDataString(t.ToString("o", CultureInfo.InvariantCulture))}" : null,
            PageSize != DefaultPageSize ? $"pageSize={PageSize}" : null,
            $"{pageParameter}={page}",
        }.Where(p => p is not null));
}

/// <summary>
/// The audit log for support staff: newest first, filtered by client, user (the actor), action (a name or a prefix
/// such as <c>insurance.</c>) and a date range (from inclusive, to exclusive; a bare date means the whole day).
/// </summary>
public static class AuditLogEndpoint
{
    [Authorize(Policy = PortalPolicies.Support)]
    [WolverineGet("/api/support/audit")]
    public static async Task<IResult> Get(Guid? clientId, Guid? userId, string? action, string? from, string? to, int? page, int? pageSize,
        IQuerySession session, CancellationToken cancellation)
    {
        var (filter, errors) = AuditFilter.Parse(clientId, userId, action, from, to, page, pageSize);
        if (filter is null) return Results.ValidationProblem(errors!);
        return Results.Ok(await AuditLogReader.ReadAsync(session, filter, cancellation));
    }
}

internal static class AuditLogReader
{
    public static async Task<AuditLogPage> ReadAsync(IQuerySession session, AuditFilter filter, CancellationToken cancellation)
    {
        IQueryable<AuditEntry> query = session.Query<AuditEntry>();
        if (filter.ClientId is { } clientId) query = query.Where(e => e.ClientId == clientId);
        if (filter.UserId is { } userId) query = query.Where(e => e.ActorId == userId);
        if (filter.Action is { } action)
            query = action.EndsWith('.') ? query.Where(e => e.Action.StartsWith(action)) : query.Where(e => e.Action == action);
        if (filter.From is { } from) query = query.Where(e => e.At >= from);
        if (filter.To is { } to) query = query.Where(e => e.At < to);

        var page = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .ToPagedListAsync(filter.Page, filter.PageSize, cancellation);
        var lines = page.Select(e => new AuditLine(e.Id, e.At, e.Action, e.Outcome, e.RecordType, e.RecordId, e.ClientId, e.ActorRole,
            e.ActorId, e.IpAddress, e.UserAgent)
            { ActingForClientId = e.ActingForClientId, ActorRelationship = e.ActorRelationship }).ToList();
        return new AuditLogPage(lines, filter.Page, filter.PageSize, page.TotalItemCount, (int)Math.Max(1, page.PageCount));
    }
}
