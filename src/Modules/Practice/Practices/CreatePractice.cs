using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Practice.Roster;
using Wolverine;
using Wolverine.Http;

namespace Portal.Practice.Practices;

/// <summary>Support creates a practice together with its first provider. The portal is off for it until support switches it on.</summary>
public sealed record CreatePracticeRequest(string PracticeName, string ProviderName, string ProviderEmail);

internal sealed record PracticeCreated(Guid PracticeId, Guid ProviderId);

internal sealed class CreatePracticeValidator : AbstractValidator<CreatePracticeRequest>
{
    public CreatePracticeValidator()
    {
        RuleFor(r => r.PracticeName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.ProviderName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.ProviderEmail).NotEmpty().EmailAddress().MaximumLength(254);
    }
}

public static class CreatePracticeEndpoint
{
    [WolverinePost("/api/support/practices")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(CreatePracticeRequest request, IDocumentSession session, TimeProvider clock)
    {
        var email = EmailAddress.Normalize(request.ProviderEmail);
        if (await session.Query<RosterProvider>().AnyAsync(p => p.Email == email))
            return (Results.Problem(statusCode: 409, title: "A provider with this email already exists."), []);

        var practice = new RosterPractice { Id = Guid.CreateVersion7(), Name = request.PracticeName.Trim(), CreatedAt = clock.GetUtcNow() };
        var provider = new RosterProvider
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practice.Id,
            PracticeName = practice.Name,
            Name = request.ProviderName.Trim(),
            Email = email,
        };
        var changed = provider.Changed();
        session.Store(practice);
        session.Store(provider);
        return (Results.Created($"/api/support/practices/{practice.Id}", new PracticeCreated(practice.Id, provider.Id)), [changed]);
    }
}
