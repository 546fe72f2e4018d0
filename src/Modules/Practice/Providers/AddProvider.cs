using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Portal.BuildingBlocks.Security;
using Portal.Practice.Roster;
using Wolverine;
using Wolverine.Http;

namespace Portal.Practice.Providers;

/// <summary>Support adds another provider to an existing practice.</summary>
public sealed record AddProviderRequest(string Name, string Email);

internal sealed record ProviderAdded(Guid ProviderId);

internal sealed class AddProviderValidator : AbstractValidator<AddProviderRequest>
{
    public AddProviderValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Email).NotEmpty().EmailAddress().MaximumLength(254);
    }
}

public static class AddProviderEndpoint
{
    [WolverinePost("/api/support/practices/{practiceId}/providers")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(Guid practiceId, AddProviderRequest request, IDocumentSession session)
    {
        var practice = await session.LoadAsync<RosterPractice>(practiceId);
        if (practice is null) return (Results.Problem(statusCode: 404, title: "No such practice."), []);
        var email = EmailAddress.Normalize(request.Email);
        if (await session.Query<RosterProvider>().AnyAsync(p => p.Email == email))
            return (Results.Problem(statusCode: 409, title: "A provider with this email already exists."), []);

        var provider = new RosterProvider
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practice.Id,
            PracticeName = practice.Name,
            Name = request.Name.Trim(),
            Email = email,
        };
        var changed = provider.Changed();
        session.Store(provider);
        return (Results.Created($"/api/support/providers/{provider.Id}", new ProviderAdded(provider.Id)), [changed]);
    }
}
