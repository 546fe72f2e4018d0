using Portal.Practice.Providers;
using Portal.Practice.Roster;

namespace Portal.Practice.Practices;

/// <summary>Support creates a practice together with its first provider. The portal is off for it until support switches it on.</summary>
public sealed record CreatePracticeRequest(string PracticeName, string ProviderName, string ProviderEmail);

internal sealed record PracticeCreated(Guid PracticeId, Guid ProviderId);

internal sealed class CreatePracticeValidator : AbstractValidator<CreatePracticeRequest>
{
    public CreatePracticeValidator()
    {
        RuleFor(r => r.PracticeName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.ProviderName).ProviderName();
        RuleFor(r => r.ProviderEmail).ProviderEmail();
    }
}

public static class CreatePracticeEndpoint
{
    [WolverinePost("/api/support/practices")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(
        CreatePracticeRequest request, IDocumentSession session, TimeProvider clock, HttpContext http)
    {
        var (outcome, messages) = await CreatePractice.ExecuteAsync(request, session, clock);
        return (outcome.ToResult(http, created => Results.Created($"/api/support/practices/{created.PracticeId}", created)), messages);
    }
}

internal static class CreatePractice
{
    public static async Task<(Outcome<PracticeCreated>, OutgoingMessages)> ExecuteAsync(CreatePracticeRequest request, IDocumentSession session,
        TimeProvider clock)
    {
        var email = EmailAddress.Normalize(request.ProviderEmail);
        if (await ProviderEmails.RefuseTakenAsync(session, email) is { } taken) return (taken, []);

        var practice = new RosterPractice { Id = Guid.CreateVersion7(), Name = request.PracticeName.Trim(), CreatedAt = clock.GetUtcNow() };
        var provider = RosterProvider.New(practice, request.ProviderName, email, StaffRole.Owner);
        session.Store(practice);
        session.Store(provider);
        return (new PracticeCreated(practice.Id, provider.Id), [provider.Changed()]);
    }
}
