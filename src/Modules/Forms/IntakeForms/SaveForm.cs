using Portal.BuildingBlocks.Concurrency;
using System.Security.Claims;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Auditing;
using Portal.BuildingBlocks.Security;
using Portal.Forms.Shared;
using Wolverine.Http;

namespace Portal.Forms.IntakeForms;

/// <summary>Changes to the working schema; <see cref="Revision"/> is the one the editor loaded.</summary>
public sealed record SaveFormRequest(string? Title, FormSchema? Schema, int Revision);

internal sealed class SaveFormValidator : AbstractValidator<SaveFormRequest>
{
    public SaveFormValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Revision).GreaterThan(0);
        RuleFor(r => r.Schema).Custom((schema, context) =>
        {
            foreach (var (path, messages) in FormSchemaRules.Check(schema))
                foreach (var message in messages) context.AddFailure(path, message);
        });
    }
}

public static class SaveFormEndpoint
{
    [WolverinePut("/api/forms/{formId}"), Authorize(Policy = PortalPolicies.Provider)]
    public static async Task<IResult> Put(Guid formId, SaveFormRequest request, ClaimsPrincipal principal, HttpContext http,
        IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var outcome = await SaveAsync(formId, request, principal, http, session, clock, cancellation);
        return outcome.Succeeded ? Results.Ok(new FormSavedResponse(formId, outcome.Value!.Revision)) : outcome.ToProblem(http);
    }

    /// <summary>Saves the working schema. Published versions never change: an edit after publishing becomes the next version when published.</summary>
    internal static async Task<Outcome<IntakeForm>> SaveAsync(Guid formId, SaveFormRequest request, ClaimsPrincipal principal,
        HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        // Parallel saves of one form wait here for each other, so the revision check below lets one through.
        var form = await EditLock.LoadLockedAsync<IntakeForm>(session, formId, cancellation);
        if (form is null || !FormsAccess.CanManage(CurrentUser.From(principal), form.PracticeId, form.ProviderId))
            return Outcome<IntakeForm>.NotFound("form");
        if (form.Revision != request.Revision)
            return Outcome<IntakeForm>.Conflict($"The form was changed elsewhere (revision {form.Revision}); reload it before saving.");

        form.Title = request.Title!.Trim();
        form.Schema = request.Schema!;
        form.Revision++;
        form.UpdatedAt = clock.GetUtcNow();
        session.Store(form);
        Audit.Record(session, http, clock, "forms.form.save", nameof(IntakeForm), form.Id.ToString());
        return Outcome<IntakeForm>.Ok(form);
    }
}
