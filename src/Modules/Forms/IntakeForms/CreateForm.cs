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

/// <summary>A new intake form's working schema.</summary>
public sealed record CreateFormRequest(string? Title, FormSchema? Schema);

internal sealed class CreateFormValidator : AbstractValidator<CreateFormRequest>
{
    public CreateFormValidator()
    {
        RuleFor(r => r.Title).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Schema).Custom((schema, context) =>
        {
            foreach (var (path, messages) in FormSchemaRules.Check(schema))
                foreach (var message in messages) context.AddFailure(path, message);
        });
    }
}

internal sealed record FormSavedResponse(Guid FormId, int Revision);

public static class CreateFormEndpoint
{
    [WolverinePost("/api/forms"), Authorize(Policy = PortalPolicies.Provider)]
    public static IResult Post(CreateFormRequest request, ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var form = Create(request, principal, http, session, clock);
        return Results.Created($"/api/forms/{form.Id}", new FormSavedResponse(form.Id, form.Revision));
    }

    internal static IntakeForm Create(CreateFormRequest request, ClaimsPrincipal principal, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var owner = FormsAccess.Owner(CurrentUser.From(principal))!.Value;
        var now = clock.GetUtcNow();
        var form = new IntakeForm
        {
            Id = Guid.CreateVersion7(),
            PracticeId = owner.PracticeId,
            ProviderId = owner.ProviderId,
            Title = request.Title!.Trim(),
            Schema = request.Schema!,
            Revision = 1,
            CreatedAt = now,
            UpdatedAt = now,
        };
        session.Insert(form);
        Audit.Record(session, http, clock, "forms.form.create", nameof(IntakeForm), form.Id.ToString());
        return form;
    }
}
