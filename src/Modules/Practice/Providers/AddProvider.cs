using Portal.Practice.Roster;

namespace Portal.Practice.Providers;

/// <summary>Support adds another member to an existing practice: a clinician unless another role is named.</summary>
public sealed record AddProviderRequest(string Name, string Email,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<StaffRole>))]
    StaffRole? Role = null);

internal sealed record ProviderAdded(Guid ProviderId);

internal sealed class AddProviderValidator : AbstractValidator<AddProviderRequest>
{
    public AddProviderValidator()
    {
        RuleFor(r => r.Name).ProviderName();
        RuleFor(r => r.Email).ProviderEmail();
        RuleFor(r => r.Role).IsInEnum();
    }
}

public static class AddProviderEndpoint
{
    [WolverinePost("/api/support/practices/{practiceId}/providers")]
    [Authorize(Policy = PortalPolicies.Support)]
    public static async Task<(IResult, OutgoingMessages)> Post(
        Guid practiceId, AddProviderRequest request, IDocumentSession session, HttpContext http)
    {
        var (outcome, messages) = await AddProvider.ExecuteAsync(practiceId, request, session);
        return (outcome.ToResult(http, added => Results.Created($"/api/support/providers/{added.ProviderId}", added)), messages);
    }
}

/// <summary>Shared by the endpoint and support's practices page.</summary>
internal static class AddProvider
{
    public static async Task<(Outcome<ProviderAdded>, OutgoingMessages)> ExecuteAsync(Guid practiceId, AddProviderRequest request,
        IDocumentSession session)
    {
        var practice = await session.LoadAsync<RosterPractice>(practiceId);
        if (practice is null) return (new Refusal(StatusCodes.Status404NotFound, "No such practice."), []);
        var email = EmailAddress.Normalize(request.Email);
        if (await ProviderEmails.RefuseTakenAsync(session, email) is { } taken) return (taken, []);

        var provider = RosterProvider.New(practice, request.Name, email, request.Role ?? StaffRole.Clinician);
        session.Store(provider);
        return (Outcome<ProviderAdded>.Ok(new ProviderAdded(provider.Id), StatusCodes.Status201Created), [provider.Changed()]);
    }
}

/// <summary>What every provider's details obey: a provider's email is their sign-in, so no two providers share one.</summary>
internal static class ProviderEmails
{
    public static IRuleBuilderOptions<T, string> ProviderName<T>(this IRuleBuilder<T, string> rule) => rule.NotEmpty().MaximumLength(200);

    public static IRuleBuilderOptions<T, string> ProviderEmail<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(254).EmailAddress();

    /// <summary>The refusal when <paramref name="email"/> (normalized) already belongs to a provider; null when it is free.</summary>
    public static async Task<Refusal?> RefuseTakenAsync(IQuerySession session, string email) =>
        await session.Query<RosterProvider>().AnyAsync(p => p.Email == email)
            ? Refusal.Conflict("A provider with this email already exists.")
            : null;
}
