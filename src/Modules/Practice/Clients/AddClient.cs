using System.Security.Claims;
using Portal.Practice.Roster;

namespace Portal.Practice.Clients;

/// <summary>A provider adds a client to their roster. No account and no email yet: that comes with the first task.</summary>
public sealed record AddClientRequest(string FirstName, string LastName, string Email, DateOnly DateOfBirth);

internal sealed record ClientAdded(Guid ClientId, bool Eligible);

internal sealed class AddClientValidator : AbstractValidator<AddClientRequest>
{
    public AddClientValidator(TimeProvider clock)
    {
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.DateOfBirth)
            .Must(d => d > new DateOnly(1900, 1, 1) && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("Enter a real date of birth.");
    }
}

public static class AddClientEndpoint
{
    [WolverinePost("/api/console/clients")]
    [Authorize(Policy = PortalPolicies.FrontOffice)]
    public static async Task<(IResult, OutgoingMessages)> Post(AddClientRequest request, ClaimsPrincipal principal, IDocumentSession session,
        TimeProvider clock, HttpContext http)
    {
        var (outcome, messages) = await AddClient.ExecuteAsync(request, principal, session, clock);
        return (outcome.ToResult(http, added => Results.Created($"/api/console/clients/{added.ClientId}", added)), messages);
    }
}

internal static class AddClient
{
    public static async Task<(Outcome<ClientAdded>, OutgoingMessages)> ExecuteAsync(AddClientRequest request, ClaimsPrincipal principal,
        IDocumentSession session, TimeProvider clock)
    {
        var user = CurrentUser.From(principal)!;
        var provider = await session.LoadAsync<RosterProvider>(user.ProviderId!.Value);
        if (provider is null) return (Refusal.Forbidden("Your provider record was not found."), []);

        var client = new RosterClient
        {
            Id = Guid.CreateVersion7(),
            ProviderId = provider.Id,
            PracticeId = provider.PracticeId,
            PracticeName = provider.PracticeName,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            Email = EmailAddress.Normalize(request.Email),
            DateOfBirth = request.DateOfBirth,
            ProviderPortalEnabled = provider.PortalEnabled,
            CreatedAt = clock.GetUtcNow(),
        };
        var changed = client.Changed();
        session.Store(client);
        return (new ClientAdded(client.Id, client.Eligible), [changed]);
    }
}
