using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Clients;
using Portal.Forms.Shared;
using Wolverine.Http;

namespace Portal.Forms.IntakeForms;

internal sealed record FormResponseSummary(Guid ResponseId, Guid FormId, string FormTitle, int FormVersion, DateTimeOffset SubmittedAt);

internal sealed record AnsweredField(string Key, string Label, IReadOnlyList<string> Answer);

internal sealed record AnsweredSection(string Title, IReadOnlyList<AnsweredField> Fields);

/// <summary>A response laid out by the version it answered: every kept answer under its section and label.</summary>
internal sealed record FormResponseDetail(Guid ResponseId, Guid ClientId, string ClientName, Guid FormId, string FormTitle, int FormVersion,
    DateTimeOffset SubmittedAt, IReadOnlyList<AnsweredSection> Sections);

public static class GetFormResponsesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/form-responses"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> List(Guid clientId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var list = await ListAsync(clientId, principal, http, session, clock, cancellation);
        return list is null ? FormsAccess.NotFound("client") : Results.Ok(list);
    }

    [WolverineGet("/api/form-responses/{responseId}"), Authorize(Policy = PortalPolicies.Staff)]
    public static async Task<IResult> Get(Guid responseId, ClaimsPrincipal principal, HttpContext http, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var detail = await DetailAsync(responseId, principal, http, session, clock, cancellation);
        return detail is null ? FormsAccess.NotFound("form response") : Results.Ok(detail);
    }

    internal static async Task<IReadOnlyList<FormResponseSummary>?> ListAsync(Guid clientId, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var card = await FormsAccess.VisibleClientAsync(session, clientId, principal, http, clock, cancellation);
        if (card is null) return null;
        var responses = await session.Query<FormResponse>().Where(r => r.ClientId == clientId)
            .OrderByDescending(r => r.SubmittedAt).ToListAsync(cancellation);
        return responses.Select(r => new FormResponseSummary(r.Id, r.FormId, r.FormTitle, r.FormVersion, r.SubmittedAt)).ToList();
    }

    /// <summary>The answers of one response, when the caller may see its client; the read is audited.</summary>
    internal static async Task<FormResponseDetail?> DetailAsync(Guid responseId, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var user = CurrentUser.From(principal);
        var response = await session.LoadAsync<FormResponse>(responseId, cancellation);
        var card = response is null ? null : await session.LoadAsync<FormsClient>(response.ClientId, cancellation);
        if (response is null || card is null || user is null || !card.IsVisibleTo(user)) return null;

        var form = await session.LoadAsync<IntakeForm>(response.FormId, cancellation);
        var schema = form?.Version(response.FormVersion)?.Schema ?? new FormSchema();
        Audit.Record(session, http, clock, "forms.response.read", nameof(FormResponse), response.Id.ToString(), response.ClientId);
        await session.SaveChangesAsync(cancellation);

        var sections = schema.Sections
            .Select(s => new AnsweredSection(s.Title, s.Fields.Where(f => response.Answers.ContainsKey(f.Key))
                .Select(f => new AnsweredField(f.Key, f.Label, response.Answers[f.Key])).ToList()))
            .Where(s => s.Fields.Count > 0)
            .ToList();
        return new FormResponseDetail(response.Id, response.ClientId, card.DisplayName, response.FormId, response.FormTitle, response.FormVersion,
            response.SubmittedAt, sections);
    }
}
