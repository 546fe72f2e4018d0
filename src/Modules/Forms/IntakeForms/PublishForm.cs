using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Contracts;
using Portal.Forms.Shared;
using Wolverine;
using Wolverine.Http;

namespace Portal.Forms.IntakeForms;

public sealed record PublishFormRequest(int Revision);

internal sealed class PublishFormValidator : AbstractValidator<PublishFormRequest>
{
    public PublishFormValidator() => RuleFor(r => r.Revision).GreaterThan(0);
}

internal sealed record FormPublishedResponse(Guid FormId, int Version);

public static class PublishFormEndpoint
{
    [WolverinePost("/api/forms/{formId}/publish"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Post(Guid formId, PublishFormRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var outcome = await PublishAsync(formId, request, principal, http, session, bus, clock, cancellation);
        return outcome.Succeeded ? Results.Ok(new FormPublishedResponse(formId, outcome.Value!.Number)) : outcome.ToProblem(http);
    }

    /// <summary>Freezes the working schema as the next version (a copy: later edits never reach it).</summary>
    internal static async Task<Outcome<FormVersion>> PublishAsync(Guid formId, PublishFormRequest request, ClaimsPrincipal principal,
        HttpContext http, IDocumentSession session, IMessageBus bus, TimeProvider clock, CancellationToken cancellation)
    {
        var form = await session.LoadAsync<IntakeForm>(formId, cancellation);
        if (form is null || !FormsAccess.CanManage(CurrentUser.From(principal), form.PracticeId, form.ProviderId))
            return Outcome<FormVersion>.NotFound("form");
        if (form.Revision != request.Revision)
            return Outcome<FormVersion>.Conflict($"The form was changed elsewhere (revision {form.Revision}); reload it before publishing.");
        if (form.Latest is { } latest && latest.Title == form.Title && Same(latest.Schema, form.Schema))
            return Outcome<FormVersion>.Conflict($"Version {latest.Number} already has this content; change the form before publishing again.");

        var version = new FormVersion
        {
            Number = (form.Latest?.Number ?? 0) + 1,
            Title = form.Title,
            Schema = Copy(form.Schema),
            PublishedAt = clock.GetUtcNow(),
        };
        form.Versions.Add(version);
        form.Revision++;
        form.UpdatedAt = version.PublishedAt;
        session.Store(form);
        Audit.Record(session, http, clock, "forms.form.publish", nameof(IntakeForm), $"{form.Id}/v{version.Number}");
        await bus.PublishAsync(new IntakeFormPublished(form.Id, form.PracticeId, version.Title, version.Number,
            version.Schema.AllFields.Select(f => f.Key).ToList(), version.PublishedAt));
        return Outcome<FormVersion>.Ok(version);
    }

    private static FormSchema Copy(FormSchema schema) => JsonSerializer.Deserialize<FormSchema>(JsonSerializer.Serialize(schema))!;

    private static bool Same(FormSchema a, FormSchema b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);
}
