using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Shared;
using Wolverine.Http;

namespace Portal.Forms.IntakeForms;

internal sealed record ClientFormSummary(Guid FormId, string Title, int LatestVersion, bool HasDraft, DateTimeOffset? LastSubmittedAt);

/// <summary>A form as the client fills it: the latest published version's schema and their draft answers to it.</summary>
internal sealed record FormToFill(Guid FormId, int Version, string Title, FormSchema Schema, IReadOnlyDictionary<string, List<string>> Draft,
    DateTimeOffset? DraftSavedAt);

public static class FillFormEndpoint
{
    [WolverineGet("/api/portal/forms"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> List(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var list = await ListAsync(principal, session, cancellation);
        return list is null ? FormsAccess.NotFound("client") : Results.Ok(list);
    }

    [WolverineGet("/api/portal/forms/{formId}"), Authorize(Policy = PortalPolicies.Client)]
    public static async Task<IResult> Get(Guid formId, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var form = await LoadAsync(formId, principal, session, cancellation);
        return form is null ? FormsAccess.NotFound("form") : Results.Ok(form);
    }

    internal static async Task<IReadOnlyList<ClientFormSummary>?> ListAsync(ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        if (card is null) return null;
        var forms = await session.Query<IntakeForm>().Where(f => f.PracticeId == card.PracticeId).ToListAsync(cancellation);
        var drafts = await session.Query<FormDraft>().Where(d => d.ClientId == card.Id).ToListAsync(cancellation);
        var responses = await session.Query<FormResponse>().Where(r => r.ClientId == card.Id).ToListAsync(cancellation);
        return forms.Where(f => f.Latest is not null).OrderBy(f => f.Latest!.Title).Select(f => new ClientFormSummary(f.Id, f.Latest!.Title,
                f.Latest.Number, drafts.Any(d => d.FormId == f.Id),
                responses.Where(r => r.FormId == f.Id).Select(r => (DateTimeOffset?)r.SubmittedAt).Max()))
            .ToList();
    }

    /// <summary>The latest published version of a form of the client's practice, with their draft of that version.</summary>
    internal static async Task<FormToFill?> LoadAsync(Guid formId, ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (card is null || form?.Latest is null || form.PracticeId != card.PracticeId) return null;
        var version = form.Latest;
        var draft = await session.Query<FormDraft>()
            .Where(d => d.ClientId == card.Id && d.FormId == formId && d.FormVersion == version.Number)
            .FirstOrDefaultAsync(cancellation);
        return new FormToFill(form.Id, version.Number, version.Title, version.Schema, draft?.Answers ?? [], draft?.UpdatedAt);
    }

    /// <summary>The published version a client may answer, or null.</summary>
    internal static async Task<(Clients.FormsClient Card, IntakeForm Form, FormVersion Version)?> VersionForClientAsync(Guid formId, int version,
        ClaimsPrincipal principal, IQuerySession session, CancellationToken cancellation)
    {
        var card = await FormsAccess.SignedInClientAsync(session, principal, cancellation);
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (card is null || form is null || form.PracticeId != card.PracticeId) return null;
        return form.Version(version) is { } found ? (card, form, found) : null;
    }
}
